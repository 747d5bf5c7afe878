package io.luthien.shared.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The real node telemetry bootstrap ({@link NodeTelemetry}) with in-memory exporters added, for
 * tests that assert on spans, metrics and log records; and a Vert.x whose tracer reports to it.
 */
public final class TestTelemetry implements AutoCloseable {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  private final NodeTelemetry node;

  private TestTelemetry(JsonObject config, String serviceName) {
    node =
        NodeTelemetry.start(
            TelemetrySettings.from(config, serviceName),
            builder ->
                builder
                    .addTracerProviderCustomizer(
                        (tracing, cfg) ->
                            tracing.addSpanProcessor(SimpleSpanProcessor.create(spans)))
                    .addMeterProviderCustomizer(
                        (meters, cfg) -> meters.registerMetricReader(metrics))
                    .addLoggerProviderCustomizer(
                        (loggers, cfg) ->
                            loggers.addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))));
  }

  public static TestTelemetry start() {
    return start(new JsonObject(), "luthien-test");
  }

  public static TestTelemetry start(JsonObject config, String serviceName) {
    return new TestTelemetry(config, serviceName);
  }

  public OpenTelemetry openTelemetry() {
    return node.openTelemetry();
  }

  public NodeTelemetry node() {
    return node;
  }

  /**
   * A Vert.x that traces HTTP, pg and Redis into this telemetry, as a node does (no event-bus
   * spans).
   */
  public Vertx tracedVertx() {
    return Vertx.builder().withTracer(WithoutEventBusSpans.of(node.openTelemetry())).build();
  }

  public List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  public List<SpanData> spans(Predicate<SpanData> filter) {
    return spans().stream().filter(filter).toList();
  }

  public List<SpanData> spansOfCall(String callId) {
    return spans(span -> callId.equals(span.getAttributes().get(TelemetryNames.CALL_ID)));
  }

  public Optional<SpanData> span(String name) {
    return spans().stream().filter(span -> span.getName().equals(name)).findFirst();
  }

  public Collection<MetricData> metrics() {
    return metrics.collectAllMetrics();
  }

  public Optional<MetricData> metric(String name) {
    return metrics().stream().filter(metric -> metric.getName().equals(name)).findFirst();
  }

  public List<LogRecordData> logs() {
    return logs.getFinishedLogRecordItems();
  }

  public void reset() {
    spans.reset();
    logs.reset();
  }

  @Override
  public void close() {
    node.close();
  }
}
