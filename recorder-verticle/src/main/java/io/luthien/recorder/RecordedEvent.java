package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.luthien.shared.payloads.RecorderEvent;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One validated {@link Addresses#RECORDER_EVENTS} message, ready for its {@code
 * conversation_events} row.
 *
 * @param payloadJson the payload already encoded as PostgreSQL {@code jsonb} accepts it
 * @param call what this event knows of its call's row ({@code createdAt} is at least the event's
 *     time)
 */
record RecordedEvent(
    UUID callId,
    String eventType,
    int sequence,
    OffsetDateTime timestamp,
    String payloadJson,
    CallColumns call) {

  private static final Pattern CANONICAL_UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String NUL_ESCAPE = "\\u0000";

  /**
   * The event in {@code body}, or a {@link MalformedPayloadException} saying what is wrong with it:
   * what the contract refuses ({@link RecorderEvent#fromJson}), and what PostgreSQL could not
   * store.
   */
  static RecordedEvent fromJson(JsonObject body) {
    RecorderEvent event = RecorderEvent.fromJson(body);
    UUID callId = callId(event.callId());
    OffsetDateTime sent = Timestamps.storable(event.timestamp(), Fields.TIMESTAMP);
    OffsetDateTime timestamp = sent != null ? sent : OffsetDateTime.now(ZoneOffset.UTC);
    return new RecordedEvent(
        callId,
        storableText(event.eventType(), Fields.EVENT_TYPE),
        event.sequence(),
        timestamp,
        jsonbText(event.payload().encode()),
        CallColumns.of(event.call(), timestamp));
  }

  /** The message's call id as text when it has a usable one, for logs about a malformed message. */
  static String callIdForLogs(JsonObject body) {
    Object value = body.getValue(Fields.CALL_ID);
    return value instanceof String text && CANONICAL_UUID.matcher(text).matches() ? text : null;
  }

  /**
   * PostgreSQL text cannot hold NUL characters; a message carrying one in a column is malformed.
   */
  static String storableText(String value, String field) {
    if (value.indexOf('\0') >= 0) {
      throw new MalformedPayloadException(field + " contains a NUL character");
    }
    return value;
  }

  /** The primary key's type: the contract's call id is any string, the recorder's a UUID. */
  private static UUID callId(String text) {
    if (!CANONICAL_UUID.matcher(text).matches()) {
      throw new MalformedPayloadException(Fields.CALL_ID + " must be a UUID");
    }
    return UUID.fromString(text);
  }

  /**
   * jsonb refuses the {@code \u0000} escape, and one such string in a model's output would
   * otherwise make its whole batch fail forever; it becomes U+FFFD, the usual stand-in for an
   * unrepresentable character.
   */
  static String jsonbText(String json) {
    int at = json.indexOf(NUL_ESCAPE);
    if (at < 0) {
      return json;
    }
    StringBuilder text = new StringBuilder(json.length());
    int from = 0;
    while (at >= 0) {
      int backslashes = 0;
      for (int i = at - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      text.append(json, from, at).append(backslashes % 2 == 0 ? "\\ufffd" : NUL_ESCAPE);
      from = at + NUL_ESCAPE.length();
      at = json.indexOf(NUL_ESCAPE, from);
    }
    return text.append(json, from, json.length()).toString();
  }
}
