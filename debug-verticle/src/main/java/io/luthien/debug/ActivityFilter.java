package io.luthien.debug;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What one browser asked of {@code /activity/stream}: {@code call_id} (exact) and {@code
 * event_type} (exact, or a prefix ending in {@code *} such as {@code policy.*}). Absent parameters
 * match everything.
 */
record ActivityFilter(String callId, String eventType) {

  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,99}\\*?");

  static ActivityFilter parse(MultiMap params) {
    String callId = params.get("call_id");
    String eventType = params.get("event_type");
    if (callId != null && !callId.isBlank()) {
      callId = CallIdFormat.parse(callId, "call_id").toString();
    } else {
      callId = null;
    }
    if (eventType != null && !eventType.isBlank()) {
      if (!EVENT_TYPE.matcher(eventType).matches()) {
        throw DebugError.badRequest(
            "event_type must look like request.received or policy.* (lower case, dots)");
      }
    } else {
      eventType = null;
    }
    return new ActivityFilter(callId, eventType);
  }

  boolean matches(JsonObject event) {
    if (callId != null && !callId.equalsIgnoreCase(event.getString("call_id", ""))) {
      return false;
    }
    if (eventType == null) {
      return true;
    }
    String type = event.getString("event_type", "");
    return eventType.endsWith("*")
        ? type.startsWith(eventType.substring(0, eventType.length() - 1))
        : eventType.equals(type);
  }
}
