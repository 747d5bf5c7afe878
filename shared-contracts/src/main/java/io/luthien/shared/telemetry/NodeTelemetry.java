package io.luthien.shared.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One node's OpenTelemetry: the SDK configured from the {@code OTEL_*} variables, with the call id
 * copied onto spans and log records, and a Prometheus reader behind {@code GET /metrics}. When
 * telemetry is off it is {@link OpenTelemetry#noop()} and nothing else exists.
 */
public final class NodeTelemetry implements AutoCloseable {

  private static final String VERSION = "0.1.0";

  /**
   * Chosen by hand: the library's own format lookup also loads its protobuf writer, which needs
   * protobuf-java.
   */
  private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

  private static final ExpositionFormatWriter PROMETHEUS_TEXT = PrometheusTextFormatWriter.create();

  private final TelemetrySettings settings;
  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final PrometheusMetricReader prometheus;

  private NodeTelemetry(
      TelemetrySettings settings, OpenTelemetrySdk sdk, PrometheusMetricReader prometheus) {
    this.settings = settings;
    this.sdk = sdk;
    this.openTelemetry = sdk == null ? OpenTelemetry.noop() : sdk;
    this.prometheus = prometheus;
  }

  public static NodeTelemetry off() {
    return new NodeTelemetry(null, null, null);
  }

  public static NodeTelemetry start(TelemetrySettings settings) {
    return start(settings, builder -> {});
  }

  /** {@code customizer} lets tests add in-memory exporters to the real configuration. */
  public static NodeTelemetry start(
      TelemetrySettings settings, Consumer<AutoConfiguredOpenTelemetrySdkBuilder> customizer) {
    if (!settings.enabled()) {
      return new NodeTelemetry(settings, null, null);
    }
    PrometheusMetricReader prometheus =
        PrometheusMetricReader.builder().setOtelScopeLabelsEnabled(false).build();
    AutoConfiguredOpenTelemetrySdkBuilder builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .disableShutdownHook()
            .addPropertiesCustomizer(config -> settings.sdkProperties())
            .addResourceCustomizer((resource, config) -> resource.merge(defaults(resource)))
            .addTracerProviderCustomizer(
                (tracing, config) -> tracing.addSpanProcessor(new CallIdSpanProcessor()))
            .addLoggerProviderCustomizer(
                (logs, config) -> logs.addLogRecordProcessorFirst(new CallIdLogProcessor()))
            .addMeterProviderCustomizer(
                (metrics, config) -> metrics.registerMetricReader(prometheus));
    customizer.accept(builder);
    return new NodeTelemetry(settings, builder.build().getOpenTelemetrySdk(), prometheus);
  }

  /**
   * Resource attributes the SDK's detectors did not already set (OTEL_RESOURCE_ATTRIBUTES wins).
   */
  private static Resource defaults(Resource detected) {
    Attributes attributes =
        Attributes.builder()
            .put("service.version", VERSION)
            .put("service.instance.id", UUID.randomUUID().toString())
            .put("deployment.environment.name", "local")
            .build();
    var missing = Attributes.builder();
    attributes.forEach(
        (key, value) -> {
          if (detected.getAttribute(key) == null) {
            missing.put(key.getKey(), value.toString());
          }
        });
    return Resource.create(missing.build());
  }

  public boolean enabled() {
    return sdk != null;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Null when telemetry is off. */
  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  public TelemetrySettings settings() {
    return settings;
  }

  /** The metrics in the format the {@code Accept} header asks for (Prometheus text by default). */
  public Scrape scrape(String accept) {
    if (prometheus == null) {
      throw new IllegalStateException("telemetry is off");
    }
    ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS_TEXT;
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, prometheus.collect());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Scrape(writer.getContentType(), out.toByteArray());
  }

  /** Flushes what is buffered (spans, metrics, logs) and stops the exporters. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @SuppressWarnings(
      "ArrayRecordComponent") // carries one scrape to one response: never compared or hashed
  public record Scrape(String contentType, byte[] body) {}
}
