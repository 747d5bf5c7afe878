package io.luthien.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser(1024, events::add);

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

  @Test
  @DisplayName(
      "one 20 MB line fed in 64 KiB pieces is scanned once: bytes examined equal the bytes fed in")
  void longLineIsLinear() {
    SseParser big = new SseParser(32L * 1024 * 1024, events::add);
    int lineBytes = 20 * 1024 * 1024;
    byte[] piece = new byte[64 * 1024];
    java.util.Arrays.fill(piece, (byte) 'x');
    big.handle(Buffer.buffer("data: "));
    long fed = "data: ".length();
    for (int sent = 0; sent < lineBytes; sent += piece.length) {
      big.handle(Buffer.buffer(piece));
      fed += piece.length;
    }
    big.handle(Buffer.buffer("\n\n"));
    fed += 2;

    assertThat(events).hasSize(1);
    assertThat(events.get(0)).hasSize(lineBytes);
    assertThat(big.scannedBytes()).isEqualTo(fed);
  }

  @Test
  @DisplayName(
      "an event over the size bound fails as too large, also while its one line is still coming")
  void oversizedEvent() {
    parser.handle(Buffer.buffer("data: " + "x".repeat(500) + "\n"));

    assertThatThrownBy(() -> parser.handle(Buffer.buffer("data: " + "y".repeat(600))))
        .isInstanceOfSatisfying(
            SseParser.InvalidStreamException.class,
            invalid -> assertThat(invalid.tooLarge()).isTrue())
        .hasMessageContaining("1024 bytes");
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("events under the bound pass however many of them come; the bound is per event")
  void boundIsPerEvent() {
    for (int i = 0; i < 100; i++) {
      parser.handle(
          Buffer.buffer("event: e\nid: " + i + "\nretry: 5\ndata: " + "z".repeat(900) + "\n\n"));
    }

    assertThat(events).hasSize(100);
  }

  @Test
  @DisplayName("a line that is no SSE field nor comment fails as not server-sent events")
  void notSse() {
    assertThatThrownBy(() -> parser.handle(Buffer.buffer("<html><body>\n")))
        .isInstanceOfSatisfying(
            SseParser.InvalidStreamException.class,
            invalid -> assertThat(invalid.tooLarge()).isFalse())
        .hasMessageContaining("<html>");
  }

  @Test
  @DisplayName("a body that ends inside a line that is not SSE fails when it ends")
  void notSseAtTheEnd() {
    parser.handle(Buffer.buffer("{\"id\":\"chatcmpl-1\",\"cho"));

    assertThatThrownBy(parser::finish).isInstanceOf(SseParser.InvalidStreamException.class);
  }
}
