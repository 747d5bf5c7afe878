package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalList;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to a {@link PolicyResponse} (sent to the call's session address): {@code {response,
 * events}}.
 *
 * @param response the final answer the client gets, canonical
 * @param events what the policy emitted while deciding, in order
 */
public record PolicyResponseReply(JsonObject response, List<PolicyEvent> events) {

  public PolicyResponseReply {
    events = List.copyOf(events);
  }

  public static PolicyResponseReply fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyResponseReply(
        requiredObject(body, Fields.RESPONSE),
        optionalList(body, Fields.EVENTS, PolicyEvent::fromJson));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.RESPONSE, response)
        .put(Fields.EVENTS, PayloadFields.array(events, PolicyEvent::toJson));
  }
}
