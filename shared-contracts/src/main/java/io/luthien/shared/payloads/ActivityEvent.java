package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalInstant;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;
import static io.luthien.shared.payloads.PayloadFields.requiredText;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@link Addresses#ACTIVITY_EVENTS}, and of the feed it is relayed to: {@code {call_id,
 * event_type, timestamp, data}}, a small live event of a call.
 *
 * @param eventType {@code request.received}, {@code response.sent}, {@code stream.chunk}, {@code
 *     policy.<type>}...
 * @param timestamp when it happened; null when the sender did not say
 * @param data previews, never whole payloads; {@code data.model} is always there, {@code
 *     data.session_id} when the call belongs to an agent session
 */
public record ActivityEvent(String callId, String eventType, Instant timestamp, JsonObject data) {

  public static ActivityEvent fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new ActivityEvent(
        requiredString(body, Fields.CALL_ID),
        requiredText(body, Fields.EVENT_TYPE),
        optionalInstant(body, Fields.TIMESTAMP),
        requiredObject(body, Fields.DATA));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.EVENT_TYPE, eventType)
        .put(Fields.TIMESTAMP, timestamp == null ? null : timestamp.toString())
        .put(Fields.DATA, data);
  }
}
