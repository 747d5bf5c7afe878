package io.luthien.debug;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What one browser asked of {@code /activity/stream}: {@code call_id} (exact), {@code session_id}
 * (exact, the agent session the gateway put in the event's {@code data}) and {@code event_type}
 * (exact, or a prefix ending in {@code *} such as {@code policy.*}). Absent parameters match
 * everything.
 */
record ActivityFilter(String callId, String sessionId, String eventType) {

  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,99}\\*?");

  /** What the gateway records as a session id: at most 128 characters, no control characters. */
  private static final int MAX_SESSION_ID = 128;

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
    return new ActivityFilter(callId, sessionId(params.get("session_id")), eventType);
  }

  private static String sessionId(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.length() > MAX_SESSION_ID || text.chars().anyMatch(Character::isISOControl)) {
      throw DebugError.badRequest(
          "session_id must be 1 to "
              + MAX_SESSION_ID
              + " characters without control characters, as the gateway records it");
    }
    return text;
  }

  boolean matches(JsonObject event) {
    if (callId != null && !callId.equalsIgnoreCase(event.getString("call_id", ""))) {
      return false;
    }
    if (sessionId != null && !sessionId.equals(sessionOf(event))) {
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

  private static String sessionOf(JsonObject event) {
    return event.getValue("data") instanceof JsonObject data
            && data.getValue("session_id") instanceof String session
        ? session
        : null;
  }
}
