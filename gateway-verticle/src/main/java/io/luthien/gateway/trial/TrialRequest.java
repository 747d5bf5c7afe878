package io.luthien.gateway.trial;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@link io.luthien.shared.Addresses#POLICY_TRIAL}: {@code {api, request, candidate?,
 * recorded_response?, call_id?}}.
 *
 * @param api the API the request is written in: {@link Fields#API_OPENAI}, {@link
 *     Fields#API_ANTHROPIC} or {@link Fields#API_OPENAI_RESPONSES}
 * @param request the client's request in that API's format
 * @param candidate {@code {class, config}}, the policy to run; null: the active policy
 * @param recordedResponse the recorded original answer, in the client's format, to replay; null:
 *     the model is called
 * @param replayedCallId the recorded call this trial replays, for the log; or null
 */
record TrialRequest(
    String api,
    JsonObject request,
    JsonObject candidate,
    JsonObject recordedResponse,
    String replayedCallId) {

  private static final Set<String> APIS =
      Set.of(Fields.API_OPENAI, Fields.API_ANTHROPIC, Fields.API_OPENAI_RESPONSES);

  /** Refuses a body that breaks the contract with a 400 naming the field. */
  static TrialRequest fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw refused("the body must be a JSON object");
    }
    if (!(json.getValue(Fields.API) instanceof String api) || !APIS.contains(api)) {
      throw refused(
          Fields.API
              + " must be one of "
              + Fields.API_OPENAI
              + ", "
              + Fields.API_ANTHROPIC
              + ", "
              + Fields.API_OPENAI_RESPONSES);
    }
    if (!(json.getValue(Fields.REQUEST) instanceof JsonObject request)) {
      throw refused(Fields.REQUEST + " must be a JSON object: the client's request");
    }
    return new TrialRequest(
        api,
        request,
        optionalObject(json, Fields.CANDIDATE),
        optionalObject(json, Fields.RECORDED_RESPONSE),
        optionalString(json, Fields.CALL_ID));
  }

  boolean replay() {
    return recordedResponse != null;
  }

  /** The candidate's class as it was named, or null for the active policy. */
  String candidateClass() {
    return candidate == null ? null : String.valueOf(candidate.getValue("class"));
  }

  private static JsonObject optionalObject(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw refused(field + " must be a JSON object");
    }
    return (JsonObject) value;
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw refused(field + " must be a string");
    }
    return (String) value;
  }

  private static GatewayException refused(String message) {
    return ApiError.invalidRequest("invalid_trial", null, message).asException();
  }
}
