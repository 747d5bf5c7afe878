package io.luthien.debug;

import io.luthien.shared.Settings;
import io.luthien.shared.telemetry.TelemetrySettings;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The debug node's configuration, read once at start; the defaults live here.
 *
 * @param traceUrlTemplate the link from a call to its trace, or null when there is no trace backend
 *     to link to
 * @param replayEvents how many of the latest activity events a newly connected browser receives
 *     first (0 = none)
 */
record DebugSettings(
    String host,
    int port,
    String adminApiKey,
    String redisUrl,
    String traceUrlTemplate,
    long heartbeatMillis,
    int replayEvents) {

  private static final String REPLAY_EVENTS = "DEBUG_SSE_REPLAY_EVENTS";

  /**
   * Grafana Explore on the Tempo datasource, searching the call's spans by {@code luthien.call_id}.
   */
  static final String DEFAULT_TRACE_URL_TEMPLATE =
      "http://localhost:3000/explore?left="
          + URLEncoder.encode(
                  "{\"datasource\":\"tempo\",\"queries\":[{\"refId\":\"A\",\"queryType\":\"traceql\","
                      + "\"query\":\"{ span.luthien.call_id = \\\"CALL_ID\\\" }\"}],\"range\":{\"from\":\"now-6h\",\"to\":\"now\"}}",
                  StandardCharsets.UTF_8)
              .replace("CALL_ID", "{call_id}");

  static DebugSettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new DebugSettings(
        settings.string("HOST", "127.0.0.1"),
        settings.integer("DEBUG_PORT", 8001),
        settings.string("ADMIN_API_KEY", null),
        settings.string("REDIS_URL", null),
        settings.string(
            "DEBUG_TRACE_URL_TEMPLATE", exportsTraces(config) ? DEFAULT_TRACE_URL_TEMPLATE : null),
        settings.longValue("DEBUG_SSE_HEARTBEAT_MS", 15_000),
        nonNegative(settings.integer(REPLAY_EVENTS, 50), REPLAY_EVENTS));
  }

  /**
   * Whether the node's telemetry sends traces anywhere over OTLP. Without that, no trace of any
   * call can be found, so the default link would always be dead.
   */
  private static boolean exportsTraces(JsonObject config) {
    TelemetrySettings telemetry = TelemetrySettings.from(config, "luthien-debug");
    String exporters = telemetry.sdkProperties().getOrDefault("otel.traces.exporter", "none");
    return telemetry.enabled() && exporters.contains("otlp");
  }

  private static int nonNegative(int value, String key) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must be 0 or more, got " + value);
    }
    return value;
  }

  /**
   * The template with {@code {call_id}} filled in (UUIDs need no escaping), or null without a
   * template.
   */
  String traceUrl(String callId) {
    return traceUrlTemplate == null ? null : traceUrlTemplate.replace("{call_id}", callId);
  }
}
