package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalBoolean;
import static io.luthien.shared.payloads.PayloadFields.optionalList;
import static io.luthien.shared.payloads.PayloadFields.requiredList;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The reply to a {@link PolicyStreamMessage}: {@code {chunks, events, ended?}}, the final chunks
 * this message let out (zero or more; on close, whatever the policy still held back), what the
 * policy emitted meanwhile, and whether the policy ended the stream (its last chunk finishes it:
 * the gateway ends the client's stream and cancels the upstream).
 *
 * @param chunks canonical {@code chat.completion.chunk}s, in the order the client gets them
 */
public record PolicyStreamReply(List<JsonObject> chunks, List<PolicyEvent> events, boolean ended) {

  public PolicyStreamReply(List<JsonObject> chunks, List<PolicyEvent> events) {
    this(chunks, events, false);
  }

  public PolicyStreamReply {
    chunks = List.copyOf(chunks);
    events = List.copyOf(events);
  }

  public static PolicyStreamReply fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new PolicyStreamReply(
        requiredList(body, Fields.CHUNKS, Function.identity()),
        optionalList(body, Fields.EVENTS, PolicyEvent::fromJson),
        Boolean.TRUE.equals(optionalBoolean(body, Fields.ENDED)));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put(Fields.CHUNKS, PayloadFields.array(chunks, Function.identity()))
            .put(Fields.EVENTS, PayloadFields.array(events, PolicyEvent::toJson));
    return ended ? json.put(Fields.ENDED, true) : json;
  }
}
