package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredInstant;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredText;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One event a policy emitted ({@code context.emit(type, data)}), as the {@code events} of every
 * policy reply carry it: {@code {type, timestamp, data}}. The gateway records it as a {@code
 * policy.<type>} event.
 *
 * @param type {@link Fields#EVENT_POLICY_PREFIX} and the policy's own type: {@code policy.checked}
 * @param timestamp when the policy emitted it
 * @param data what the policy said, a JSON object
 */
public record PolicyEvent(String type, Instant timestamp, JsonObject data) {

  public static PolicyEvent fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyEvent(
        requiredText(body, Fields.TYPE),
        requiredInstant(body, Fields.TIMESTAMP),
        requiredObject(body, Fields.DATA));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.TYPE, type)
        .put(Fields.TIMESTAMP, timestamp.toString())
        .put(Fields.DATA, data);
  }
}
