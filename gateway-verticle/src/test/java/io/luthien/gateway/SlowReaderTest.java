package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.gateway.stream.StreamRelay;
import io.luthien.shared.Addresses;
import io.luthien.shared.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that read a stream slowly through a small receive window, so that the gateway's writes to
 * them queue up, and then hang up with unread bytes (the kernel answers the gateway with a reset).
 */
@ExtendWith(VertxExtension.class)
class SlowReaderTest {

  private static final int READERS = 6;

  @Test
  @DisplayName(
      "slow SSE readers that hang up mid-stream are recorded as 499, their upstream requests are closed and nothing is logged as an error")
  void slowReadersHangUp(Vertx vertx) throws Exception {
    List<JsonObject> responses = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS,
                message -> {
                  if ("response".equals(message.body().getString("event_type"))) {
                    responses.add(message.body());
                  }
                })
            .completion());
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "60000"));

    try (LogCapture relayLog = new LogCapture(StreamRelay.class)) {
      List<Socket> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(openSlowReader(gateway.port));
      }
      Thread.sleep(1_000); // the gateway's writes to the readers queue up behind their windows
      for (Socket reader : readers) {
        reader.close();
      }

      Eventually.found(
          "every reader's call recorded", () -> responses.size() == READERS ? responses : null);
      assertThat(responses)
          .extracting(event -> event.getJsonObject("payload").getInteger("status"))
          .containsOnly(499);
      Eventually.found(
          "every upstream request closed",
          () -> gateway.upstream.connectionsClosedBeforeEnd() == READERS ? true : null);
      assertThat(relayLog.lines(Level.WARN)).isEmpty();
      assertThat(relayLog.lines(Level.ERROR)).isEmpty();
    }
  }

  /** Sends a streamed completion request and reads only the start of the answer. */
  private static Socket openSlowReader(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    byte[] body =
        GatewayFixture.chat("gpt-4o", "hi")
            .put("stream", true)
            .put("fake_chunks", 2_000)
            // 64 MiB: more than the socket buffers and write queues hold, so the upstream cannot
            // finish
            .put("fake_chunk_padding", 32_768)
            .toBuffer()
            .getBytes();
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(body);
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    byte[] start = new byte[64];
    int read = in.read(start);
    assertThat(new String(start, 0, read, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
    return socket;
  }
}
