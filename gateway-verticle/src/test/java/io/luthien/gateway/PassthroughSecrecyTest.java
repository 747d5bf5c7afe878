package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A passed-through credential never leaves the gateway but in its provider request: not on the
 * event bus (policy, recorder, feed), not in a span.
 */
class PassthroughSecrecyTest {

  private final TestTelemetry telemetry = TestTelemetry.start();
  private final Vertx vertx = telemetry.tracedVertx();
  private final List<String> busTraffic = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    await(vertx.close());
    telemetry.close();
  }

  @Test
  @DisplayName(
      "with calls whole, streamed and refused under a passed-through credential, no event-bus"
          + " message and no span attribute or event holds the credential")
  void credentialStaysOffTheBusAndTraces() {
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              busTraffic.add(
                  delivery.message().address()
                      + " "
                      + delivery.message().headers()
                      + " "
                      + delivery.message().body());
              delivery.next();
            });
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            TestPolicyNode.Mode.UPPERCASE,
            new JsonObject()
                .put("AUTH_MODE", "passthrough")
                .put("ANTHROPIC_BASE_URL", anthropic.baseUrl()),
            telemetry.openTelemetry());
    String token = AuthModesTest.CLIENT_OAUTH_TOKEN;
    String key = AuthModesTest.CLIENT_OPENAI_KEY;

    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    for (JsonObject request :
        List.of(
            AuthModesTest.messages("claude-x"),
            AuthModesTest.messages("claude-x").put("stream", true),
            AuthModesTest.messages("gpt-4o"))) {
      responses.add(
          await(
              gateway
                  .web
                  .post("/v1/messages")
                  .putHeader("anthropic-version", "2023-06-01")
                  .putHeader("Authorization", "Bearer " + token)
                  .sendJsonObject(request)));
    }
    responses.add(
        await(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("x-api-key", key)
                .sendJsonObject(GatewayFixture.chat("gpt-4o", "hi").put("stream", true))));

    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 401, 200);
    for (HttpResponse<Buffer> response : responses) {
      String callId = response.getHeader("X-Call-ID");
      Eventually.found(
          "the recorded outcome of " + callId,
          () ->
              busTraffic.stream()
                  .filter(m -> m.startsWith(Addresses.RECORDER_EVENTS) && m.contains(callId))
                  .filter(m -> m.contains("\"event_type\":\"response\""))
                  .findFirst()
                  .orElse(null));
    }
    assertThat(busTraffic).anyMatch(m -> m.startsWith(Addresses.ACTIVITY_EVENTS));
    assertThat(busTraffic).anyMatch(m -> m.contains("HELLO"));
    List<String> spans = telemetry.spans().stream().map(PassthroughSecrecyTest::describe).toList();
    assertThat(spans).isNotEmpty();
    for (String secret : List.of(token, key)) {
      assertThat(busTraffic).noneMatch(m -> m.contains(secret));
      assertThat(spans).noneMatch(s -> s.contains(secret));
    }
  }

  private static String describe(SpanData span) {
    return span.getName() + " " + span.getAttributes() + " " + span.getEvents();
  }
}
