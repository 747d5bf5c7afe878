package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalInstant;
import static io.luthien.shared.payloads.PayloadFields.optionalObject;
import static io.luthien.shared.payloads.PayloadFields.requiredIntCount;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;
import static io.luthien.shared.payloads.PayloadFields.requiredText;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@link Addresses#RECORDER_EVENTS}: {@code {call_id, event_type, sequence, timestamp,
 * payload, call?}}, one event of a call for the recorder to store; (call_id, event_type, sequence)
 * is its idempotent key.
 *
 * @param eventType {@link Fields#EVENT_REQUEST} (payload {original, final, blocked?}), {@link
 *     Fields#EVENT_RESPONSE} (payload {original, final, status, error?}) or {@code policy.<type>}
 *     (payload {phase, timestamp, data})
 * @param sequence counts from 0 per call
 * @param timestamp when it happened; null when the sender did not say (the recorder uses the time
 *     it got it)
 * @param call what this event knows of the call's row; {@link CallUpdate#NONE} when it knows
 *     nothing, and then the body has no {@code call}
 */
public record RecorderEvent(
    String callId,
    String eventType,
    int sequence,
    Instant timestamp,
    JsonObject payload,
    CallUpdate call) {

  public RecorderEvent {
    call = call == null ? CallUpdate.NONE : call;
  }

  public static RecorderEvent fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    JsonObject call = optionalObject(body, Fields.CALL);
    return new RecorderEvent(
        requiredString(body, Fields.CALL_ID),
        requiredText(body, Fields.EVENT_TYPE),
        requiredIntCount(body, Fields.SEQUENCE),
        optionalInstant(body, Fields.TIMESTAMP),
        requiredObject(body, Fields.PAYLOAD),
        call == null ? CallUpdate.NONE : callFrom(call));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put(Fields.CALL_ID, callId)
            .put(Fields.EVENT_TYPE, eventType)
            .put(Fields.SEQUENCE, sequence)
            .put(Fields.TIMESTAMP, timestamp == null ? null : timestamp.toString())
            .put(Fields.PAYLOAD, payload);
    if (!call.equals(CallUpdate.NONE)) {
      json.put(Fields.CALL, call.toJson());
    }
    return json;
  }

  private static CallUpdate callFrom(JsonObject call) {
    try {
      return CallUpdate.fromJson(call);
    } catch (MalformedPayloadException e) {
      throw new MalformedPayloadException(Fields.CALL + "." + e.getMessage());
    }
  }
}
