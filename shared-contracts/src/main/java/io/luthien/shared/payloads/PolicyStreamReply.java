package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalList;
import static io.luthien.shared.payloads.PayloadFields.requiredList;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The reply to a {@link PolicyStreamMessage}: {@code {chunks, events}}, the final chunks this
 * message let out (zero or more; on close, whatever the policy still held back) and what the policy
 * emitted meanwhile.
 *
 * @param chunks canonical {@code chat.completion.chunk}s, in the order the client gets them
 */
public record PolicyStreamReply(List<JsonObject> chunks, List<PolicyEvent> events) {

  public PolicyStreamReply {
    chunks = List.copyOf(chunks);
    events = List.copyOf(events);
  }

  public static PolicyStreamReply fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyStreamReply(
        requiredList(body, Fields.CHUNKS, Function.identity()),
        optionalList(body, Fields.EVENTS, PolicyEvent::fromJson));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.CHUNKS, PayloadFields.array(chunks, Function.identity()))
        .put(Fields.EVENTS, PayloadFields.array(events, PolicyEvent::toJson));
  }
}
