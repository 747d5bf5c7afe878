package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalBoolean;
import static io.luthien.shared.payloads.PayloadFields.optionalInstant;
import static io.luthien.shared.payloads.PayloadFields.optionalInteger;
import static io.luthien.shared.payloads.PayloadFields.optionalString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What one {@link RecorderEvent} knows of its call's {@code conversation_calls} row, its {@code
 * call} object: {@code {model, provider, api, stream, status, created_at, completed_at,
 * parent_call_id, session_id, user_id, policy_changed, policy_blocked, policy_judged}}, any subset
 * ({@code parent_call_id}: the call a policy's model call was made for; {@code session_id}: the
 * client's agent session; {@code user_id}: who made the call, never a credential). Null is "not
 * known here": the recorder merges these into the row and never replaces a known value with an
 * unknown one; the three {@code policy_*} flags only ever turn on (a policy changed the request or
 * the response, blocked the request, or made a model call for it).
 */
public record CallUpdate(
    String model,
    String provider,
    String api,
    Boolean stream,
    Integer status,
    Instant createdAt,
    Instant completedAt,
    String parentCallId,
    String sessionId,
    String userId,
    Boolean policyChanged,
    Boolean policyBlocked,
    Boolean policyJudged) {

  public CallUpdate(
      String model,
      String provider,
      String api,
      Boolean stream,
      Integer status,
      Instant createdAt,
      Instant completedAt,
      String parentCallId) {
    this(
        model,
        provider,
        api,
        stream,
        status,
        createdAt,
        completedAt,
        parentCallId,
        null,
        null,
        null,
        null,
        null);
  }

  public CallUpdate(
      String model,
      String provider,
      String api,
      Boolean stream,
      Integer status,
      Instant createdAt,
      Instant completedAt) {
    this(model, provider, api, stream, status, createdAt, completedAt, null);
  }

  /** Nothing known. */
  public static final CallUpdate NONE = new CallUpdate(null, null, null, null, null, null, null);

  public static CallUpdate fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new CallUpdate(
        optionalString(body, Fields.MODEL),
        optionalString(body, Fields.PROVIDER),
        optionalString(body, Fields.API),
        optionalBoolean(body, Fields.STREAM),
        optionalInteger(body, Fields.STATUS),
        optionalInstant(body, Fields.CREATED_AT),
        optionalInstant(body, Fields.COMPLETED_AT),
        optionalString(body, Fields.PARENT_CALL_ID),
        optionalString(body, Fields.SESSION_ID),
        optionalString(body, Fields.USER_ID),
        optionalBoolean(body, Fields.POLICY_CHANGED),
        optionalBoolean(body, Fields.POLICY_BLOCKED),
        optionalBoolean(body, Fields.POLICY_JUDGED));
  }

  /** Only what is known: an unknown column is left out, not sent as null. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putKnown(json, Fields.MODEL, model);
    putKnown(json, Fields.PROVIDER, provider);
    putKnown(json, Fields.API, api);
    putKnown(json, Fields.STREAM, stream);
    putKnown(json, Fields.STATUS, status);
    putKnown(json, Fields.CREATED_AT, createdAt == null ? null : createdAt.toString());
    putKnown(json, Fields.COMPLETED_AT, completedAt == null ? null : completedAt.toString());
    putKnown(json, Fields.PARENT_CALL_ID, parentCallId);
    putKnown(json, Fields.SESSION_ID, sessionId);
    putKnown(json, Fields.USER_ID, userId);
    putKnown(json, Fields.POLICY_CHANGED, policyChanged);
    putKnown(json, Fields.POLICY_BLOCKED, policyBlocked);
    putKnown(json, Fields.POLICY_JUDGED, policyJudged);
    return json;
  }

  private static void putKnown(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
