package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalList;
import static io.luthien.shared.payloads.PayloadFields.optionalLong;
import static io.luthien.shared.payloads.PayloadFields.optionalObject;
import static io.luthien.shared.payloads.PayloadFields.optionalString;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to a {@link PolicyRequest} ({@link Addresses#POLICY_REQUEST}): {@code {request,
 * session, timeout_ms?, events}}, the request to send upstream and the address of the call's
 * session, or {@code {blocked: {status, message}, events}} (the session is then over); never both.
 *
 * @param request the final request in the canonical shape; null when blocked
 * @param blocked the refusal; null when allowed
 * @param events what the policy emitted while deciding, in order
 * @param session the address ({@link Addresses#POLICY_SESSION_PREFIX} + instance id) that takes the
 *     call's response, chunk, close and release messages; null when blocked
 * @param timeoutMillis how long the gateway waits for each of this call's later hooks, when the
 *     policy needs longer than the node's {@code POLICY_TIMEOUT_MS} (a judge); else null
 */
public record PolicyRequestReply(
    JsonObject request,
    Blocked blocked,
    List<PolicyEvent> events,
    String session,
    Long timeoutMillis) {

  public PolicyRequestReply {
    if ((request == null) == (blocked == null)) {
      throw new MalformedPayloadException(
          "a policy request reply holds either " + Fields.REQUEST + " or " + Fields.BLOCKED);
    }
    events = List.copyOf(events);
  }

  public static PolicyRequestReply allowed(
      JsonObject request, List<PolicyEvent> events, String session, Long timeoutMillis) {
    return new PolicyRequestReply(request, null, events, session, timeoutMillis);
  }

  public static PolicyRequestReply refused(Blocked blocked, List<PolicyEvent> events) {
    return new PolicyRequestReply(null, blocked, events, null, null);
  }

  public boolean isBlocked() {
    return blocked != null;
  }

  public static PolicyRequestReply fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    JsonObject blocked = optionalObject(body, Fields.BLOCKED);
    return new PolicyRequestReply(
        optionalObject(body, Fields.REQUEST),
        blocked == null ? null : blockedFrom(blocked),
        optionalList(body, Fields.EVENTS, PolicyEvent::fromJson),
        optionalString(body, Fields.SESSION),
        optionalLong(body, Fields.TIMEOUT_MS));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put(Fields.EVENTS, PayloadFields.array(events, PolicyEvent::toJson));
    if (blocked != null) {
      return json.put(Fields.BLOCKED, blocked.toJson());
    }
    if (session != null) {
      json.put(Fields.SESSION, session);
    }
    if (timeoutMillis != null) {
      json.put(Fields.TIMEOUT_MS, timeoutMillis);
    }
    return json.put(Fields.REQUEST, request);
  }

  private static Blocked blockedFrom(JsonObject blocked) {
    try {
      return Blocked.fromJson(blocked);
    } catch (MalformedPayloadException e) {
      throw new MalformedPayloadException(Fields.BLOCKED + "." + e.getMessage());
    }
  }
}
