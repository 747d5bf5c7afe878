package io.luthien.policy;

import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyEvent;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a policy knows about the call it is working on. One context lives for a whole stream, so the
 * scratchpad carries state from chunk to chunk. Emitted events travel back to the gateway with the
 * reply.
 */
public final class PolicyContext {

  private final String callId;
  private final JsonObject request;
  private final Map<String, Object> scratchpad = new HashMap<>();
  private List<PolicyEvent> pendingEvents = new ArrayList<>();
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
   * Records a policy event of type {@code policy.<type>} for this call: it goes back with the reply
   * (to be recorded and shown live) and becomes a span event of that name on the call's policy
   * span.
   */
  public void emit(String type, JsonObject data) {
    JsonObject payload = data == null ? new JsonObject() : data;
    String eventType = Fields.EVENT_POLICY_PREFIX + type;
    pendingEvents.add(new PolicyEvent(eventType, Instant.now(), payload));
    if (span.isRecording()) {
      span.addEvent(eventType, PolicyTelemetry.eventAttributes(payload));
    }
  }

  /**
   * The span that {@link #emit} adds its events to: the call's request/response span, or its stream
   * span.
   */
  void traceTo(Span span) {
    this.span = span;
  }

  /** Hands over what was emitted since the last call, for the reply that is about to go out. */
  List<PolicyEvent> drainEvents() {
    List<PolicyEvent> drained = pendingEvents;
    pendingEvents = new ArrayList<>();
    return drained;
  }
}
