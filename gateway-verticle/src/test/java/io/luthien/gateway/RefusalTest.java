package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.gateway.error.FailureResponder;
import io.luthien.shared.Addresses;
import io.luthien.shared.LogCapture;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A request refused before it reaches the upstream is logged once with its call id, status and
 * reason, counted, and recorded as a call with that status, so an operator sees why a client
 * failed.
 */
class RefusalTest {

  private static final String PROXY_KEY = "refusal-proxy-key";

  private final TestTelemetry telemetry = TestTelemetry.start();
  private final Vertx vertx = telemetry.tracedVertx();
  private final List<JsonObject> recorded = new CopyOnWriteArrayList<>();
  private final LogCapture log = new LogCapture(FailureResponder.class);
  private GatewayFixture gateway;

  @BeforeEach
  void start() {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    gateway =
        GatewayFixture.start(
            vertx,
            TestPolicyNode.Mode.PASS,
            new JsonObject()
                .put("PROXY_API_KEY", PROXY_KEY)
                .put("MAX_REQUEST_BYTES", "2000")
                .put("RATE_LIMIT_RPM", "60")
                .put("RATE_LIMIT_BURST", "1"),
            telemetry.openTelemetry());
  }

  @AfterEach
  void stop() {
    log.close();
    await(vertx.close());
    telemetry.close();
  }

  private HttpRequest<Buffer> post(String path, String key) {
    return gateway.web.post(path).putHeader("Authorization", "Bearer " + key);
  }

  @Test
  @DisplayName(
      "401, 400 (bad JSON, a missing model), 404 (a model without its key, an unknown URL), 413 and"
          + " 429 are each logged once, counted and recorded with their status; none reaches the upstream")
  void refusalsAreVisible() {
    check(
        await(gateway.web.post("/v1/chat/completions").sendJsonObject(chat())),
        401,
        "missing_api_key");
    check(
        await(
            post("/v1/chat/completions", "k1")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{not json"))),
        401,
        "invalid_api_key");
    check(
        await(
            post("/v1/chat/completions", PROXY_KEY)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{not json"))),
        400,
        "invalid_json");
    waitForTheBucket();
    check(
        await(
            post("/v1/chat/completions", PROXY_KEY)
                .sendJsonObject(new JsonObject().put("messages", chat().getJsonArray("messages")))),
        400,
        "missing_required_parameter");
    waitForTheBucket();
    check(
        await(
            post("/v1/messages", PROXY_KEY)
                .putHeader("anthropic-version", "2023-06-01")
                .sendJsonObject(AuthModesTest.messages("claude-x"))),
        404,
        "provider_not_configured");
    waitForTheBucket();
    check(
        await(
            post("/v1/chat/completions", PROXY_KEY)
                .sendJsonObject(GatewayFixture.chat("hi", "x".repeat(3000)))),
        413,
        "request_too_large");
    waitForTheBucket();
    check(
        await(
            gateway
                .request(HttpMethod.GET, "/v1/nothing-here")
                .putHeader("Authorization", "Bearer " + PROXY_KEY)
                .send()),
        404,
        "unknown_url");
    check(
        await(post("/v1/chat/completions", PROXY_KEY).sendJsonObject(chat())),
        429,
        "rate_limit_exceeded");

    assertThat(gateway.upstream.requests()).isEmpty();
  }

  private static JsonObject chat() {
    return GatewayFixture.chat("gpt-4o", "hi");
  }

  /** The rate limit's burst is 1: a request that counts waits for a token (60 a minute). */
  private static void waitForTheBucket() {
    try {
      Thread.sleep(1_050);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void check(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    String callId = response.getHeader("X-Call-ID");
    List<String> lines =
        Eventually.found(
            "the refusal's log line",
            () -> {
              List<String> found =
                  log.lines(Level.INFO).stream().filter(line -> line.contains(callId)).toList();
              return found.isEmpty() ? null : found;
            });
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("refused", String.valueOf(status), code);
    JsonObject outcome =
        Eventually.found(
            "the refusal's recorded outcome",
            () ->
                recorded.stream()
                    .filter(e -> callId.equals(e.getString("call_id")))
                    .filter(e -> "response".equals(e.getString("event_type")))
                    .findFirst()
                    .orElse(null));
    assertThat(outcome.getJsonObject("call").getInteger("status")).isEqualTo(status);
    assertThat(outcome.getJsonObject("payload").getJsonObject("error").getString("code"))
        .isEqualTo(code);
    LongPointData counted =
        point(
            Attributes.builder()
                .put(TelemetryNames.HTTP_RESPONSE_STATUS_CODE, status)
                .put(TelemetryNames.ERROR_TYPE, code)
                .build());
    assertThat(counted.getValue()).isGreaterThanOrEqualTo(1);
  }

  private LongPointData point(Attributes expected) {
    Function<LongPointData, Boolean> matches =
        p ->
            expected.asMap().entrySet().stream()
                .allMatch(e -> e.getValue().equals(p.getAttributes().get(e.getKey())));
    return Eventually.found(
        MetricNames.REQUESTS_REFUSED + " " + expected,
        () ->
            telemetry
                .metric(MetricNames.REQUESTS_REFUSED)
                .flatMap(
                    metric ->
                        metric.getLongSumData().getPoints().stream()
                            .filter(matches::apply)
                            .findFirst())
                .orElse(null));
  }
}
