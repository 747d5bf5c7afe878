package io.luthien.debug;

import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The debug node's configuration, read once at start; the defaults live here. */
record DebugSettings(String host, int port, String adminApiKey, String redisUrl, String traceUrlTemplate,
                     long heartbeatMillis) {

  /** Grafana Explore on the Tempo datasource, searching the call's spans by {@code luthien.call_id}. */
  static final String DEFAULT_TRACE_URL_TEMPLATE = "http://localhost:3000/explore?left=" + URLEncoder.encode(
      "{\"datasource\":\"tempo\",\"queries\":[{\"refId\":\"A\",\"queryType\":\"traceql\","
          + "\"query\":\"{ span.luthien.call_id = \\\"CALL_ID\\\" }\"}],\"range\":{\"from\":\"now-6h\",\"to\":\"now\"}}",
      StandardCharsets.UTF_8).replace("CALL_ID", "{call_id}");

  static DebugSettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new DebugSettings(
        settings.string("HOST", "127.0.0.1"),
        settings.integer("DEBUG_PORT", 8001),
        settings.string("ADMIN_API_KEY", null),
        settings.string("REDIS_URL", null),
        settings.string("DEBUG_TRACE_URL_TEMPLATE", DEFAULT_TRACE_URL_TEMPLATE),
        settings.longValue("DEBUG_SSE_HEARTBEAT_MS", 15_000));
  }

  /** The template with {@code {call_id}} filled in; call ids are UUIDs, so they need no escaping. */
  String traceUrl(String callId) {
    return traceUrlTemplate.replace("{call_id}", callId);
  }
}
