package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@link Addresses#POLICY_STREAM_OPEN}: {@code {call_id, request}}, opening the call's
 * stream session; the reply is a {@link PolicyStreamOpened}.
 *
 * @param request the request as it was sent upstream, canonical
 */
public record PolicyStreamOpen(String callId, JsonObject request) {

  public static PolicyStreamOpen fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyStreamOpen(
        requiredString(body, Fields.CALL_ID), requiredObject(body, Fields.REQUEST));
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.CALL_ID, callId).put(Fields.REQUEST, request);
  }
}
