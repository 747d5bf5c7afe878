package io.luthien.shared.telemetry;

import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a node's telemetry runs, read once at start. {@code OTEL_ENABLED=false} or {@code
 * OTEL_SDK_DISABLED=true} turns everything off (no SDK, no tracer, no exporter threads, no {@code
 * /metrics}). Otherwise the standard {@code OTEL_*} variables configure the SDK, except that
 * without an OTLP endpoint nothing is exported (the SDK's own default would try localhost:4318
 * forever).
 *
 * @param metricsPort where the node serves {@code GET /metrics}; -1 for none
 */
public record TelemetrySettings(
    boolean enabled,
    String serviceName,
    String metricsHost,
    int metricsPort,
    Map<String, String> sdkProperties) {

  public static final int DEFAULT_METRICS_PORT = 9464;

  public static TelemetrySettings from(JsonObject config, String defaultServiceName) {
    Settings settings = new Settings(config);
    boolean enabled =
        settings.bool("OTEL_ENABLED", true) && !settings.bool("OTEL_SDK_DISABLED", false);
    String metricsPort = settings.string("METRICS_PORT", String.valueOf(DEFAULT_METRICS_PORT));
    String serviceName = settings.string("OTEL_SERVICE_NAME", defaultServiceName);
    return new TelemetrySettings(
        enabled,
        serviceName,
        settings.string("METRICS_HOST", settings.string("HOST", "127.0.0.1")),
        metricsPort.equalsIgnoreCase("off")
            ? -1
            : settings.integer("METRICS_PORT", DEFAULT_METRICS_PORT),
        sdkProperties(config, serviceName));
  }

  /**
   * {@code OTEL_FOO_BAR} becomes the SDK property {@code otel.foo.bar}, as the SDK reads the
   * environment.
   */
  private static Map<String, String> sdkProperties(JsonObject config, String serviceName) {
    Map<String, String> properties = new HashMap<>();
    boolean endpoint = false;
    for (String key : config.fieldNames()) {
      if (key.startsWith("OTEL_") && config.getValue(key) != null) {
        properties.put(
            key.toLowerCase(Locale.ROOT).replace('_', '.'), config.getValue(key).toString());
        endpoint |= key.startsWith("OTEL_EXPORTER_OTLP_") && key.endsWith("ENDPOINT");
      }
    }
    String exporterDefault = endpoint ? "otlp" : "none";
    properties.putIfAbsent("otel.traces.exporter", exporterDefault);
    properties.putIfAbsent("otel.metrics.exporter", exporterDefault);
    properties.putIfAbsent("otel.logs.exporter", exporterDefault);
    properties.put("otel.service.name", serviceName);
    return properties;
  }
}
