package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.luthien.shared.telemetry.WithoutEventBusSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.opentelemetry.instrumentation.micrometer.v1_5.OpenTelemetryMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Set;

/**
 * Vert.x's own telemetry for a node: its tracer (HTTP, pg and Redis spans; no event-bus spans, see
 * {@link WithoutEventBusSpans}) and its event-bus, pool and verticle meters, bridged from
 * Micrometer into the node's OpenTelemetry. HTTP server and client meters stay off: the gateway
 * records {@code http.server.request.duration} and {@code gen_ai.*} itself, with the semantic
 * conventions' names and labels. With telemetry off, Vert.x gets neither, and pays nothing.
 */
final class VertxTelemetry {

  /**
   * Event-bus counters that cost an update per message and that no dashboard or alert reads; {@code
   * vertx_eventbus_pending}, {@code _processed} and {@code _handlers} stay.
   */
  private static final Set<String> PER_MESSAGE_METERS =
      Set.of(
          "vertx.eventbus.sent",
          "vertx.eventbus.received",
          "vertx.eventbus.delivered",
          "vertx.eventbus.published");

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
    MeterRegistry registry = OpenTelemetryMeterRegistry.builder(telemetry.openTelemetry()).build();
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> PER_MESSAGE_METERS.contains(id.getName())));
    return builder
        .withTracer(WithoutEventBusSpans.of(telemetry.openTelemetry()))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }
}
