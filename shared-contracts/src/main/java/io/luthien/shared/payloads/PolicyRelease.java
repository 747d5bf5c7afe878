package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * Sent to the call's session address when the call ends without reaching the policy again (the
 * upstream failed, the client left before an answer): {@code {kind: "release", call_id}}; the
 * session ends. The reply is an empty object.
 */
public record PolicyRelease(String callId) {

  public static PolicyRelease fromJson(JsonObject json) {
    return new PolicyRelease(requiredString(PayloadFields.body(json), Fields.CALL_ID));
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.KIND, Fields.KIND_RELEASE).put(Fields.CALL_ID, callId);
  }
}
