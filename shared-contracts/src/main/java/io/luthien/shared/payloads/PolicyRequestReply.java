package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalList;
import static io.luthien.shared.payloads.PayloadFields.optionalObject;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to a {@link PolicyRequest} ({@link Addresses#POLICY_REQUEST}): {@code {request,
 * events}}, the request to send upstream, or {@code {blocked: {status, message}, events}}; never
 * both.
 *
 * @param request the final request in the canonical shape; null when blocked
 * @param blocked the refusal; null when allowed
 * @param events what the policy emitted while deciding, in order
 */
public record PolicyRequestReply(JsonObject request, Blocked blocked, List<PolicyEvent> events) {

  public PolicyRequestReply {
    if ((request == null) == (blocked == null)) {
      throw new MalformedPayloadException(
          "a policy request reply holds either " + Fields.REQUEST + " or " + Fields.BLOCKED);
    }
    events = List.copyOf(events);
  }

  public static PolicyRequestReply allowed(JsonObject request, List<PolicyEvent> events) {
    return new PolicyRequestReply(request, null, events);
  }

  public static PolicyRequestReply refused(Blocked blocked, List<PolicyEvent> events) {
    return new PolicyRequestReply(null, blocked, events);
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
        optionalList(body, Fields.EVENTS, PolicyEvent::fromJson));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put(Fields.EVENTS, PayloadFields.array(events, PolicyEvent::toJson));
    return blocked != null
        ? json.put(Fields.BLOCKED, blocked.toJson())
        : json.put(Fields.REQUEST, request);
  }

  private static Blocked blockedFrom(JsonObject blocked) {
    try {
      return Blocked.fromJson(blocked);
    } catch (MalformedPayloadException e) {
      throw new MalformedPayloadException(Fields.BLOCKED + "." + e.getMessage());
    }
  }
}
