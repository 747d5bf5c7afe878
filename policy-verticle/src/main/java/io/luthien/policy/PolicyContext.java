package io.luthien.policy;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a policy knows about the call it is working on. One context lives for a whole stream, so the
 * scratchpad carries state from chunk to chunk. Emitted events travel back to the gateway with the reply.
 */
public final class PolicyContext {

  private final String callId;
  private final JsonObject request;
  private final Map<String, Object> scratchpad = new HashMap<>();
  private JsonArray pendingEvents = new JsonArray();

  public PolicyContext(String callId, JsonObject request) {
    this.callId = callId;
    this.request = request == null ? new JsonObject() : request;
  }

  public String callId() {
    return callId;
  }

  /** The request as it was sent upstream (after the request hook). */
  public JsonObject request() {
    return request;
  }

  public Map<String, Object> scratchpad() {
    return scratchpad;
  }

  /** Records a policy event of type {@code policy.<type>} for this call (recorded, traced, shown live). */
  public void emit(String type, JsonObject data) {
    pendingEvents.add(new JsonObject()
        .put(Fields.TYPE, "policy." + type)
        .put("timestamp", Instant.now().toString())
        .put(Fields.DATA, data == null ? new JsonObject() : data));
  }

  /** Hands over what was emitted since the last call, for the reply that is about to go out. */
  JsonArray drainEvents() {
    JsonArray drained = pendingEvents;
    pendingEvents = new JsonArray();
    return drained;
  }
}
