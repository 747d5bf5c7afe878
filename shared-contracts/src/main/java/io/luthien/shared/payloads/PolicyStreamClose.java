package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredCount;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The end of the upstream stream (or its abandonment): {@code {kind: "close", call_id, seq}}; the
 * policy flushes what it held back and the session ends.
 */
public record PolicyStreamClose(String callId, long seq) implements PolicyStreamMessage {

  static PolicyStreamClose fromJson(JsonObject json) {
    return new PolicyStreamClose(
        requiredString(json, Fields.CALL_ID), requiredCount(json, Fields.SEQ));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.KIND, Fields.KIND_CLOSE)
        .put(Fields.CALL_ID, callId)
        .put(Fields.SEQ, seq);
  }
}
