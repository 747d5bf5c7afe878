package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalString;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@link Addresses#POLICY_REQUEST}: {@code {call_id, api, request}}; the reply is a
 * {@link PolicyRequestReply}.
 *
 * @param api the API the client speaks, {@link Fields#API_OPENAI} or {@link Fields#API_ANTHROPIC};
 *     null when the sender did not say
 * @param request the client's request in the canonical shape
 */
public record PolicyRequest(String callId, String api, JsonObject request) {

  public static PolicyRequest fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyRequest(
        requiredString(body, Fields.CALL_ID),
        optionalString(body, Fields.API),
        requiredObject(body, Fields.REQUEST));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.API, api)
        .put(Fields.REQUEST, request);
  }
}
