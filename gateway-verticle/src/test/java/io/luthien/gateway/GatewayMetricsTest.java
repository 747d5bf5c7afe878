package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.recording.CallRecord;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The gateway's metrics, through a real meter provider and an in-memory reader. */
class GatewayMetricsTest {

  private static final String CHAT_ROUTE = "/v1/chat/completions";
  private static final String ROUTES =
      """
      routes:
        - model: gpt-4o
          provider: openai
        - model: fast
          provider: openai
          upstream_model: gpt-4o-mini
        - model: "gpt-*"
          provider: openai
      """;
  private static final Attributes UPSTREAM =
      Attributes.of(
          TelemetryNames.GEN_AI_OPERATION_NAME, "chat",
          TelemetryNames.GEN_AI_PROVIDER_NAME, "openai",
          TelemetryNames.GEN_AI_REQUEST_MODEL, "gpt-4o");

  private final TestTelemetry telemetry = TestTelemetry.start();
  private final Vertx vertx = telemetry.tracedVertx();
  private final GatewayFixture gateway =
      GatewayFixture.start(
          vertx,
          TestPolicyNode.Mode.PASS,
          new JsonObject()
              .put("UPSTREAM_TIMEOUT_MS", "60000")
              .put("ROUTES_CONFIG", routesFile().toString()),
          telemetry.openTelemetry());

  @AfterEach
  void stop() {
    await(vertx.close());
    telemetry.close();
  }

  @Test
  @DisplayName(
      "an answered call and an upstream 500 give request durations for both statuses on the route, "
          + "upstream durations and token counts, and one http_500 upstream error")
  void answeredAndFailedCalls() {
    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(200);
    gateway.upstream.failWith(
        500, "{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}");
    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(500);

    assertThat(histogram(MetricNames.HTTP_SERVER_REQUEST_DURATION, httpAttributes(200)).getCount())
        .isEqualTo(1);
    assertThat(
            histogram(
                    MetricNames.HTTP_SERVER_REQUEST_DURATION,
                    httpAttributes(500).toBuilder().put(TelemetryNames.ERROR_TYPE, "500").build())
                .getCount())
        .isEqualTo(1);
    Attributes answered =
        UPSTREAM.toBuilder().put(TelemetryNames.GEN_AI_RESPONSE_MODEL, "gpt-4o").build();
    HistogramPointData answeredCall = histogram(MetricNames.GEN_AI_OPERATION_DURATION, answered);
    assertThat(answeredCall.getCount()).isEqualTo(1);
    assertThat(answeredCall.getSum()).isPositive();
    assertThat(
            histogram(
                    MetricNames.GEN_AI_OPERATION_DURATION,
                    UPSTREAM.toBuilder().put(TelemetryNames.ERROR_TYPE, "http_500").build())
                .getCount())
        .isEqualTo(1);
    assertThat(
            histogram(
                    MetricNames.GEN_AI_TOKEN_USAGE,
                    answered.toBuilder().put(TelemetryNames.GEN_AI_TOKEN_TYPE, "input").build())
                .getSum())
        .isEqualTo(7);
    assertThat(
            histogram(
                    MetricNames.GEN_AI_TOKEN_USAGE,
                    answered.toBuilder().put(TelemetryNames.GEN_AI_TOKEN_TYPE, "output").build())
                .getSum())
        .isEqualTo(4);
    assertThat(
            counter(
                    MetricNames.UPSTREAM_ERRORS,
                    Attributes.of(
                        TelemetryNames.ERROR_TYPE,
                        "http_500",
                        TelemetryNames.GEN_AI_PROVIDER_NAME,
                        "openai"))
                .getValue())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("a stream records its time to first token, measured from the request's arrival")
  void timeToFirstToken() {
    gateway.upstream.streamChunks(3, 0).delayResponse(50);

    gateway.stream("gpt-4o", "hi").awaitEnd();

    HistogramPointData ttft = histogram(MetricNames.GEN_AI_TIME_TO_FIRST_TOKEN, UPSTREAM);
    assertThat(ttft.getCount()).isEqualTo(1);
    assertThat(ttft.getSum()).isGreaterThanOrEqualTo(0.05).isLessThan(5.0);
  }

  @Test
  @DisplayName(
      "active streams count a stream while it is relayed and come back to 0 after it ends normally, "
          + "after the client hangs up (recorded as status 499) and after the upstream fails")
  void activeStreams() {
    gateway.upstream.streamChunks(5, 0);

    gateway.upstream.holdStreamAfterFirstChunk();
    SseTestClient normal = gateway.stream("gpt-4o", "hi");
    await(normal.firstEvent());
    assertThat(activeStreamCount()).isEqualTo(1);
    gateway.upstream.releaseStream();
    assertThat(normal.awaitEnd()).last().isEqualTo("[DONE]");
    awaitActiveStreams(0);

    gateway.upstream.holdStreamAfterFirstChunk();
    SseTestClient hangUp = gateway.stream("gpt-4o", "hi");
    await(hangUp.firstEvent());
    assertThat(activeStreamCount()).isEqualTo(1);
    await(hangUp.request.connection().close());
    awaitActiveStreams(0);
    assertThat(
            histogram(
                    MetricNames.HTTP_SERVER_REQUEST_DURATION,
                    httpAttributes(CallRecord.CLIENT_CLOSED))
                .getCount())
        .isEqualTo(1);

    gateway.upstream.holdStreamAfterFirstChunk();
    gateway.upstream.dropStreamAfter(2);
    SseTestClient failing = gateway.stream("gpt-4o", "hi");
    await(failing.firstEvent());
    assertThat(activeStreamCount()).isEqualTo(1);
    gateway.upstream.releaseStream();
    assertThat(new JsonObject(failing.awaitEnd().get(2)).containsKey("error")).isTrue();
    awaitActiveStreams(0);
    assertThat(
            counter(
                    MetricNames.UPSTREAM_ERRORS,
                    Attributes.of(
                        TelemetryNames.ERROR_TYPE,
                        "connection",
                        TelemetryNames.GEN_AI_PROVIDER_NAME,
                        "openai"))
                .getValue())
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "5,000 calls, each naming a model of its own, add no series: a model that only matches the "
          + "glob route gpt-* is labelled gpt-*")
  void uniqueModelNamesAreBounded() {
    int calls = 5_000;
    for (int first = 0; first < calls; first += 100) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = first; i < first + 100; i++) {
        JsonObject request = GatewayFixture.chat("gpt-made-up-" + i, "hi");
        if (i % 2 == 0) {
          request.put("stream", true);
        }
        batch.add(gateway.web.post(CHAT_ROUTE).sendJsonObject(request).map(GatewayMetricsTest::ok));
      }
      await(Future.all(batch));
    }

    Map<String, Set<Attributes>> series = gatewaySeries();
    assertThat(series.values().stream().mapToInt(Set::size).sum())
        .as("series of the gateway's metrics: %s", series.keySet())
        .isLessThanOrEqualTo(10);
    assertThat(series.get(MetricNames.GEN_AI_OPERATION_DURATION))
        .containsExactly(
            UPSTREAM.toBuilder()
                .put(TelemetryNames.GEN_AI_REQUEST_MODEL, "gpt-*")
                .put(TelemetryNames.GEN_AI_RESPONSE_MODEL, "gpt-*")
                .build());
    assertThat(series.get(MetricNames.GEN_AI_TIME_TO_FIRST_TOKEN))
        .containsExactly(
            UPSTREAM.toBuilder().put(TelemetryNames.GEN_AI_REQUEST_MODEL, "gpt-*").build());
    assertThat(series.get(MetricNames.GEN_AI_TOKEN_USAGE)).hasSize(2);
  }

  @Test
  @DisplayName(
      "a model the routes name keeps its name on the metrics, as the client's model and as a "
          + "route's upstream_model")
  void knownModelsKeepTheirNames() {
    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(200);
    assertThat(gateway.post(GatewayFixture.chat("fast", "hi")).statusCode()).isEqualTo(200);

    assertThat(
            histogram(
                    MetricNames.GEN_AI_OPERATION_DURATION,
                    UPSTREAM.toBuilder()
                        .put(TelemetryNames.GEN_AI_RESPONSE_MODEL, "gpt-4o")
                        .build())
                .getCount())
        .isEqualTo(1);
    assertThat(
            histogram(
                    MetricNames.GEN_AI_OPERATION_DURATION,
                    UPSTREAM.toBuilder()
                        .put(TelemetryNames.GEN_AI_REQUEST_MODEL, "gpt-4o-mini")
                        .put(TelemetryNames.GEN_AI_RESPONSE_MODEL, "gpt-4o-mini")
                        .build())
                .getCount())
        .isEqualTo(1);
  }

  private static Object ok(HttpResponse<?> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  /** Every gateway metric's distinct attribute sets: its series. */
  private Map<String, Set<Attributes>> gatewaySeries() {
    return telemetry.metrics().stream()
        .filter(
            metric ->
                metric.getInstrumentationScopeInfo().getName().equals(TelemetryNames.SCOPE_GATEWAY))
        .collect(
            Collectors.toMap(
                MetricData::getName,
                metric ->
                    metric.getData().getPoints().stream()
                        .map(PointData::getAttributes)
                        .collect(Collectors.toSet())));
  }

  private static Path routesFile() {
    try {
      Path file = Files.createTempFile("routes", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, ROUTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Attributes httpAttributes(int status) {
    return Attributes.builder()
        .put(TelemetryNames.HTTP_REQUEST_METHOD, "POST")
        .put(TelemetryNames.HTTP_ROUTE, CHAT_ROUTE)
        .put(TelemetryNames.HTTP_RESPONSE_STATUS_CODE, status)
        .build();
  }

  private HistogramPointData histogram(String name, Attributes attributes) {
    return point(name, attributes, metric -> metric.getHistogramData().getPoints());
  }

  private LongPointData counter(String name, Attributes attributes) {
    return point(name, attributes, metric -> metric.getLongSumData().getPoints());
  }

  private long activeStreamCount() {
    return counter(MetricNames.ACTIVE_STREAMS, Attributes.empty()).getValue();
  }

  private void awaitActiveStreams(long expected) {
    Eventually.found(
        "active streams at " + expected, () -> activeStreamCount() == expected ? true : null);
  }

  /** The point with exactly these attributes, once it was recorded. */
  private <P extends PointData> P point(
      String name, Attributes attributes, Function<MetricData, Collection<P>> points) {
    return Eventually.found(
        name + " " + attributes,
        () ->
            telemetry
                .metric(name)
                .flatMap(
                    metric ->
                        points.apply(metric).stream()
                            .filter(point -> point.getAttributes().equals(attributes))
                            .findFirst())
                .orElse(null));
  }
}
