package io.luthien.gateway.telemetry;

import io.luthien.gateway.upstream.ModelRoutes;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The gateway's instruments (ARCHITECTURE §6), created once per verticle instance. Durations are
 * recorded in seconds with the bucket boundaries the semantic conventions advise. Models are
 * labelled by {@link ModelLabels}, from the routes given to {@link #labellingModels}.
 */
public final class GatewayMetrics {

  private static final double NANOS_PER_SECOND = 1_000_000_000.0;
  private static final Attributes NONE = Attributes.empty();

  private final DoubleHistogram httpServerDuration;
  private final DoubleHistogram operationDuration;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram timeToFirstToken;
  private final LongCounter upstreamErrors;
  private final LongCounter refusals;
  private final LongUpDownCounter activeStreams;
  private final DoubleHistogram recorderHolds;
  private final ModelLabels models;
  private final UpstreamAttributes upstreamAttributes;

  public GatewayMetrics(Meter meter) {
    upstreamAttributes = new UpstreamAttributes();
    models = ModelLabels.NONE;
    httpServerDuration =
        meter
            .histogramBuilder(MetricNames.HTTP_SERVER_REQUEST_DURATION)
            .setUnit("s")
            .setDescription("Duration of HTTP server requests.")
            .setExplicitBucketBoundariesAdvice(MetricNames.HTTP_DURATION_BUCKETS)
            .build();
    operationDuration =
        meter
            .histogramBuilder(MetricNames.GEN_AI_OPERATION_DURATION)
            .setUnit("s")
            .setDescription("GenAI operation duration: one upstream call, to its last byte.")
            .setExplicitBucketBoundariesAdvice(MetricNames.GEN_AI_DURATION_BUCKETS)
            .build();
    tokenUsage =
        meter
            .histogramBuilder(MetricNames.GEN_AI_TOKEN_USAGE)
            .ofLongs()
            .setUnit("{token}")
            .setDescription(
                "Number of input and output tokens used, as the upstream reported them.")
            .setExplicitBucketBoundariesAdvice(MetricNames.GEN_AI_TOKEN_BUCKETS)
            .build();
    timeToFirstToken =
        meter
            .histogramBuilder(MetricNames.GEN_AI_TIME_TO_FIRST_TOKEN)
            .setUnit("s")
            .setDescription(
                "Time from the request's arrival at the gateway to the first chunk written to the client.")
            .setExplicitBucketBoundariesAdvice(MetricNames.GEN_AI_TTFT_BUCKETS)
            .build();
    upstreamErrors =
        meter
            .counterBuilder(MetricNames.UPSTREAM_ERRORS)
            .setUnit("{error}")
            .setDescription("Upstream calls that failed, by error.type.")
            .build();
    refusals =
        meter
            .counterBuilder(MetricNames.REQUESTS_REFUSED)
            .setUnit("{request}")
            .setDescription(
                "Requests refused before any upstream call, by status and the gateway's error code.")
            .build();
    activeStreams =
        meter
            .upDownCounterBuilder(MetricNames.ACTIVE_STREAMS)
            .setUnit("{stream}")
            .setDescription("Streams the gateway is relaying right now.")
            .build();
    recorderHolds =
        meter
            .histogramBuilder(MetricNames.RECORDER_HOLD_DURATION)
            .setUnit("s")
            .setDescription(
                "Time a new call was held because a recorder fell behind PostgreSQL; its count is the held calls.")
            .setExplicitBucketBoundariesAdvice(
                List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
            .build();
  }

  private GatewayMetrics(GatewayMetrics instruments, ModelLabels models) {
    httpServerDuration = instruments.httpServerDuration;
    operationDuration = instruments.operationDuration;
    tokenUsage = instruments.tokenUsage;
    timeToFirstToken = instruments.timeToFirstToken;
    upstreamErrors = instruments.upstreamErrors;
    refusals = instruments.refusals;
    activeStreams = instruments.activeStreams;
    recorderHolds = instruments.recorderHolds;
    upstreamAttributes = new UpstreamAttributes();
    this.models = models;
  }

  /** The same instruments, labelling models by what {@code routes} name. */
  public GatewayMetrics labellingModels(ModelRoutes routes) {
    return new GatewayMetrics(this, ModelLabels.of(routes));
  }

  /** What a metric may say of {@code model}, chosen by a client or echoed by a provider. */
  String modelLabel(String model) {
    return models.label(model);
  }

  /**
   * The attributes of an upstream call's metrics ({@link UpstreamAttributes#of}), its models
   * labelled ({@link #modelLabel}).
   */
  Attributes upstreamAttributes(
      String provider,
      String requestModel,
      String responseModel,
      String errorType,
      String tokenType) {
    return upstreamAttributes.of(
        provider,
        modelLabel(requestModel),
        responseModel == null ? null : modelLabel(responseModel),
        errorType,
        tokenType);
  }

  void httpServerRequest(long startNanos, Attributes attributes) {
    httpServerDuration.record(secondsSince(startNanos), attributes);
  }

  void upstreamCall(long startNanos, Attributes attributes) {
    operationDuration.record(secondsSince(startNanos), attributes);
  }

  /** {@code attributes} already hold {@code gen_ai.token.type}. */
  void tokens(long count, Attributes attributes) {
    tokenUsage.record(count, attributes);
  }

  void firstChunkWritten(long requestStartNanos, Attributes attributes) {
    timeToFirstToken.record(secondsSince(requestStartNanos), attributes);
  }

  void upstreamError(String errorType, String provider) {
    upstreamErrors.add(
        1,
        Attributes.of(
            TelemetryNames.ERROR_TYPE, errorType, TelemetryNames.GEN_AI_PROVIDER_NAME, provider));
  }

  /**
   * A request refused before any upstream call. {@code code} is one of the gateway's own error
   * codes (a fixed set, never an upstream's); {@code route} the matched route template or null.
   */
  public void refused(int status, String code, String route) {
    AttributesBuilder attributes =
        Attributes.builder()
            .put(TelemetryNames.HTTP_RESPONSE_STATUS_CODE, status)
            .put(TelemetryNames.ERROR_TYPE, code == null ? String.valueOf(status) : code);
    if (route != null) {
      attributes.put(TelemetryNames.HTTP_ROUTE, route);
    }
    refusals.add(1, attributes.build());
  }

  public void recorderHold(long startNanos) {
    recorderHolds.record((System.nanoTime() - startNanos) / NANOS_PER_SECOND, NONE);
  }

  void streamStarted() {
    activeStreams.add(1, NONE);
  }

  void streamEnded() {
    activeStreams.add(-1, NONE);
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / NANOS_PER_SECOND;
  }
}
