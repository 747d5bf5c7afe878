package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * Sent to the call's session address ({@link PolicyRequestReply#session()}): {@code {kind:
 * "response", call_id, request, response}}, a whole (non-streamed) answer for the policy to pass or
 * rewrite; the session ends with it. The reply is a {@link PolicyResponseReply}.
 *
 * @param request the request as it was sent upstream, canonical
 * @param response the upstream's answer, a canonical {@code chat.completion}
 */
public record PolicyResponse(String callId, JsonObject request, JsonObject response) {

  public static PolicyResponse fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyResponse(
        requiredString(body, Fields.CALL_ID),
        requiredObject(body, Fields.REQUEST),
        requiredObject(body, Fields.RESPONSE));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.KIND, Fields.KIND_RESPONSE)
        .put(Fields.CALL_ID, callId)
        .put(Fields.REQUEST, request)
        .put(Fields.RESPONSE, response);
  }
}
