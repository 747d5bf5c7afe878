package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A provider that sends one stream event larger than {@code UPSTREAM_MAX_EVENT_BYTES}. */
@ExtendWith(VertxExtension.class)
class OversizedEventTest {

  @Test
  @DisplayName(
      "an event over UPSTREAM_MAX_EVENT_BYTES ends the stream with an error event and resets the upstream request; other calls go on")
  void oversizedEvent(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject()
                .put("UPSTREAM_MAX_EVENT_BYTES", "65536")
                .put("UPSTREAM_TIMEOUT_MS", "60000"));
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    gateway.upstream.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer(FakeUpstream.firstChunkEvent("gpt-4o"))
            .appendString("data: {\"huge\":\"")
            .appendBytes(huge),
        true);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    Future<HttpResponse<Buffer>> other =
        gateway.web.post("/v1/chat/completions").sendJsonObject(GatewayFixture.chat("gpt-4o", "x"));
    List<String> events = client.awaitEnd();

    assertThat(events).hasSize(2);
    assertThat(client.assistantText()).isEqualTo(FakeUpstream.chunkText(0));
    JsonObject error = new JsonObject(events.get(1)).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_event_too_large");
    assertThat(error.getString("message")).contains("65536");
    await(gateway.upstream.connectionClosedBeforeEnd());
    assertThat(await(other).statusCode()).isEqualTo(200);
  }
}
