package io.luthien.policy;

import io.luthien.shared.Fields;
import io.opentelemetry.api.trace.Span;
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
  private Span span = Span.getInvalid();

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

  /**
   * Records a policy event of type {@code policy.<type>} for this call: it goes back with the reply (to be
   * recorded and shown live) and becomes a span event of that name on the call's policy span.
   */
  public void emit(String type, JsonObject data) {
    JsonObject payload = data == null ? new JsonObject() : data;
    String eventType = Fields.EVENT_POLICY_PREFIX + type;
    pendingEvents.add(new JsonObject()
        .put(Fields.TYPE, eventType)
        .put("timestamp", Instant.now().toString())
        .put(Fields.DATA, payload));
    if (span.isRecording()) {
      span.addEvent(eventType, PolicyTelemetry.eventAttributes(payload));
    }
  }

  /** The span that {@link #emit} adds its events to: the call's request/response span, or its stream span. */
  void traceTo(Span span) {
    this.span = span;
  }

  /** Hands over what was emitted since the last call, for the reply that is about to go out. */
  JsonArray drainEvents() {
    JsonArray drained = pendingEvents;
    pendingEvents = new JsonArray();
    return drained;
  }
}
