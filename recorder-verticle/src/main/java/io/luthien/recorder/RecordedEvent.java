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
 * @param searchText what this event adds to its call's {@code search_text} ({@link SearchText}), or
 *     null
 */
record RecordedEvent(
    UUID callId,
    String eventType,
    int sequence,
    OffsetDateTime timestamp,
    String payloadJson,
    CallColumns call,
    String searchText) {

  private static final Pattern CANONICAL_UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String NUL_ESCAPE = "\\u0000";

  /**
   * The event in {@code body}, its payload encoded here, whole up to the default size ({@link
   * #read}, then {@link Received#encoded}, for the recorder's own size and thread).
   */
  static RecordedEvent fromJson(JsonObject body) {
    return read(body).encoded(RecorderSettings.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * The event in {@code body} with its payload not yet encoded, or a {@link
   * MalformedPayloadException} saying what is wrong with it: what the contract refuses ({@link
   * RecorderEvent#fromJson}), and what PostgreSQL could not store.
   */
  static Received read(JsonObject body) {
    RecorderEvent event = RecorderEvent.fromJson(body);
    UUID callId = callId(event.callId());
    OffsetDateTime sent = Timestamps.storable(event.timestamp(), Fields.TIMESTAMP);
    OffsetDateTime timestamp = sent != null ? sent : OffsetDateTime.now(ZoneOffset.UTC);
    return new Received(
        callId,
        storableText(event.eventType(), Fields.EVENT_TYPE),
        event.sequence(),
        timestamp,
        event.payload(),
        CallColumns.of(event.call(), timestamp),
        SearchText.of(event.eventType(), event.payload()));
  }

  /** What the buffer and batch byte bounds count for this event. */
  long bytes() {
    return (long) payloadJson.length() + eventType.length();
  }

  /** A valid event whose payload is still a {@link JsonObject}. */
  record Received(
      UUID callId,
      String eventType,
      int sequence,
      OffsetDateTime timestamp,
      JsonObject payload,
      CallColumns call,
      String searchText) {

    /**
     * With its payload encoded ({@link PayloadText#storable}); can take seconds for tens of MB.
     *
     * @throws io.vertx.core.json.EncodeException when the payload cannot be encoded
     */
    RecordedEvent encoded(int maxPayloadBytes) {
      return encoded(maxPayloadBytes, false);
    }

    /** The same, its depth not checked again when {@code shallow} ({@link PayloadText#shape}). */
    RecordedEvent encoded(int maxPayloadBytes, boolean shallow) {
      return new RecordedEvent(
          callId,
          eventType,
          sequence,
          timestamp,
          PayloadText.storable(payload, maxPayloadBytes, shallow),
          call,
          searchText);
    }
  }

  /** The message's call id as text when it has a usable one, for logs about a malformed message. */
  static String callIdForLogs(JsonObject body) {
    Object value = body.getValue(Fields.CALL_ID);
    return value instanceof String text && CANONICAL_UUID.matcher(text).matches() ? text : null;
  }

  /** The message's event type, shortened, for logs about a malformed message. */
  static String eventTypeForLogs(JsonObject body) {
    return body.getValue(Fields.EVENT_TYPE) instanceof String type ? shortened(type) : "?";
  }

  /** At most 80 characters of a text for a log line. */
  static String shortened(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
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
