package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalObject;
import static io.luthien.shared.payloads.PayloadFields.optionalString;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@link Addresses#POLICY_REQUEST}: {@code {call_id, api, session_id?, user_id?,
 * request, candidate?}}; it opens the call's session on the policy instance that takes it, and the
 * reply is a {@link PolicyRequestReply}.
 *
 * @param api the API the client speaks, {@link Fields#API_OPENAI} or {@link Fields#API_ANTHROPIC};
 *     null when the sender did not say
 * @param sessionId the client's session, when the gateway knows it; else null
 * @param userId the user the gateway knows the call by; else null
 * @param request the client's request in the canonical shape
 * @param candidate {@code {class, config}}: a policy trial ({@link Addresses#POLICY_TRIAL}) runs
 *     the call on this policy instead of the active one, which it leaves active; else null
 */
public record PolicyRequest(
    String callId,
    String api,
    String sessionId,
    String userId,
    JsonObject request,
    JsonObject candidate) {

  public PolicyRequest(String callId, String api, JsonObject request) {
    this(callId, api, null, null, request, null);
  }

  public PolicyRequest(
      String callId, String api, String sessionId, String userId, JsonObject request) {
    this(callId, api, sessionId, userId, request, null);
  }

  public static PolicyRequest fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyRequest(
        requiredString(body, Fields.CALL_ID),
        optionalString(body, Fields.API),
        optionalString(body, Fields.SESSION_ID),
        optionalString(body, Fields.USER_ID),
        requiredObject(body, Fields.REQUEST),
        optionalObject(body, Fields.CANDIDATE));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.CALL_ID, callId).put(Fields.API, api);
    if (sessionId != null) {
      json.put(Fields.SESSION_ID, sessionId);
    }
    if (userId != null) {
      json.put(Fields.USER_ID, userId);
    }
    json.put(Fields.REQUEST, request);
    if (candidate != null) {
      json.put(Fields.CANDIDATE, candidate);
    }
    return json;
  }
}
