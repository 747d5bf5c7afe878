package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.opentelemetry.instrumentation.micrometer.v1_5.OpenTelemetryMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

/**
 * Vert.x's own telemetry for a node: its tracer (HTTP, event bus, pg and Redis spans) and its
 * event-bus, pool and verticle meters, bridged from Micrometer into the node's OpenTelemetry. HTTP
 * server and client meters stay off: the gateway records {@code http.server.request.duration} and
 * {@code gen_ai.*} itself, with the semantic conventions' names and labels. With telemetry off,
 * Vert.x gets neither, and pays nothing.
 */
final class VertxTelemetry {

  private VertxTelemetry() {}

  static VertxBuilder instrument(
      VertxBuilder builder, VertxOptions options, NodeTelemetry telemetry) {
    if (!telemetry.enabled()) {
      return builder;
    }
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
    return builder
        .withTracer(new OpenTelemetryTracingFactory(telemetry.openTelemetry()))
        .withMetrics(
            new MicrometerMetricsFactory(
                OpenTelemetryMeterRegistry.builder(telemetry.openTelemetry()).build()));
  }
}
