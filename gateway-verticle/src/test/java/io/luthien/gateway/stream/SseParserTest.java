package io.luthien.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  @DisplayName("events split at any byte, even inside a multi-byte character, come out whole")
  void anySegmentation() {
    byte[] stream = "data: {\"a\":\"é✓\"}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < stream.length; cut++) {
      events.clear();
      parser.handle(Buffer.buffer(java.util.Arrays.copyOfRange(stream, 0, cut)));
      parser.handle(Buffer.buffer(java.util.Arrays.copyOfRange(stream, cut, stream.length)));
      assertThat(events).as("cut at %d", cut).containsExactly("{\"a\":\"é✓\"}", "[DONE]");
    }
  }

  @Test
  @DisplayName(
      "CRLF line ends, comments, event names and multi-line data are handled as the SSE spec says")
  void specDetails() {
    parser.handle(
        Buffer.buffer(": keep-alive\r\nevent: message\r\ndata: line one\r\ndata:line two\r\n\r\n"));

    assertThat(events).containsExactly("line one\nline two");
  }

  @Test
  @DisplayName("a last event without its blank line still counts when the body ends")
  void unterminatedLastEvent() {
    parser.handle(Buffer.buffer("data: {\"x\":1}"));
    assertThat(events).isEmpty();

    parser.finish();

    assertThat(events).containsExactly("{\"x\":1}");
  }
}
