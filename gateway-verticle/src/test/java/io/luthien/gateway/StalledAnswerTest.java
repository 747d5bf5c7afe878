package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A whole answer whose provider sends the head and half the body, and then nothing. */
@ExtendWith(VertxExtension.class)
class StalledAnswerTest {

  private static JsonObject stalling() {
    return GatewayFixture.chat("gpt-4o", "hi").put("fake_stall_mid_body", true);
  }

  @Test
  @DisplayName(
      "a whole answer that stalls mid-body is a 504 upstream_timeout within UPSTREAM_TIMEOUT_MS, and the upstream request is closed")
  void stallMidBodyTimesOut(Vertx vertx) {
    List<JsonObject> recorded = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    GatewayFixture gateway =
        GatewayFixture.start(vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "400"));

    long start = System.nanoTime();
    HttpResponse<Buffer> response = gateway.post(stalling());
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("upstream_timeout");
    assertThat(tookMillis).isLessThan(3_000);
    await(gateway.upstream.connectionClosedBeforeEnd());
    String callId = response.getHeader("X-Call-ID");
    JsonObject failed =
        Eventually.found(
            "the recorded response of " + callId,
            () ->
                recorded.stream()
                    .filter(event -> callId.equals(event.getString("call_id")))
                    .filter(event -> "response".equals(event.getString("event_type")))
                    .findFirst()
                    .orElse(null));
    assertThat(failed.getJsonObject("payload").getInteger("status")).isEqualTo(504);
  }

  @Test
  @DisplayName(
      "a client that hangs up while a whole answer's body is stalled makes the gateway close the upstream request")
  void clientLeavesMidBody(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "60000"));

    await(
        gateway
            .http
            .request(HttpMethod.POST, gateway.port, "127.0.0.1", "/v1/chat/completions")
            .compose(
                request ->
                    request
                        .putHeader("content-type", "application/json")
                        .end(stalling().toBuffer())
                        .compose(sent -> vertx.timer(300))
                        .compose(v -> request.connection().close())));

    await(gateway.upstream.connectionClosedBeforeEnd());
    assertThat(gateway.upstream.connectionsClosedBeforeEnd()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "after more stalled whole answers than the pool has connections, a normal call still gets a connection at once")
  void stalledAnswersDoNotExhaustThePool(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject()
                .put("UPSTREAM_TIMEOUT_MS", "300")
                .put("UPSTREAM_POOL_SIZE", "2")
                .put("UPSTREAM_CONNECT_TIMEOUT_MS", "5000"));
    List<Future<HttpResponse<Buffer>>> stalled = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      stalled.add(gateway.web.post("/v1/chat/completions").sendJsonObject(stalling()));
    }
    for (Future<HttpResponse<Buffer>> call : stalled) {
      assertThat(await(call).statusCode()).isEqualTo(504);
    }

    long start = System.nanoTime();
    HttpResponse<Buffer> normal = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(tookMillis).isLessThan(2_000);
    Eventually.found(
        "no upstream request left open", () -> gateway.upstream.openAnswers() == 0 ? true : null);
  }
}
