package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredCount;
import static io.luthien.shared.payloads.PayloadFields.requiredObject;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * One upstream chunk for the policy: {@code {kind: "chunk", call_id, seq, chunk}}.
 *
 * @param chunk a canonical {@code chat.completion.chunk}
 */
public record PolicyStreamChunk(String callId, long seq, JsonObject chunk)
    implements PolicyStreamMessage {

  /**
   * The chunk message in {@code json}, whatever its {@code kind} says: {@link
   * PolicyStreamMessage#fromJson} checks it.
   */
  static PolicyStreamChunk fromJson(JsonObject json) {
    return new PolicyStreamChunk(
        requiredString(json, Fields.CALL_ID),
        requiredCount(json, Fields.SEQ),
        requiredObject(json, Fields.CHUNK));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.KIND, Fields.KIND_CHUNK)
        .put(Fields.CALL_ID, callId)
        .put(Fields.SEQ, seq)
        .put(Fields.CHUNK, chunk);
  }
}
