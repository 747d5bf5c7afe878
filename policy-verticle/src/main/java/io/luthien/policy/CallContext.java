package io.luthien.policy;

import io.luthien.policy.api.ModelClient;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyContext;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyEvent;
import io.luthien.shared.payloads.PolicyRequest;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One call at the policy node, from its request hook to the end of its response or stream. Each
 * policy of a chain sees it through its own view ({@link #forPolicy}): its own state, its events
 * named after it. Emitted events travel back to the gateway with the next reply.
 */
final class CallContext implements PolicyContext {

  /** What every view of one call shares. */
  private static final class Call {
    private final PolicyRequest identity;
    private final Vertx vertx;
    private final ModelCalls models;
    private final IdentityHashMap<Policy, Map<Class<?>, Object>> states = new IdentityHashMap<>();
    private final IdentityHashMap<Policy, CallContext> views = new IdentityHashMap<>();
    private JsonObject request;
    private List<PolicyEvent> pendingEvents = new ArrayList<>();
    private Span span = Span.getInvalid();

    private Call(PolicyRequest identity, Vertx vertx, ModelCalls models) {
      this.identity = identity;
      this.vertx = vertx;
      this.models = models;
      this.request = identity.request();
    }
  }

  private final Call call;
  private final Policy owner;
  private final ModelClient models;

  private CallContext(Call call, Policy owner) {
    this.call = call;
    this.owner = owner;
    this.models = call.models.forCall(this);
  }

  /**
   * The context of a call whose policy is {@code policy}; its model calls go through {@code
   * models}.
   */
  static CallContext open(PolicyRequest identity, Policy policy, Vertx vertx, ModelCalls models) {
    Call call = new Call(identity, vertx, models);
    CallContext root = new CallContext(call, policy);
    call.views.put(policy, root);
    return root;
  }

  @Override
  public String callId() {
    return call.identity.callId();
  }

  @Override
  public String api() {
    return call.identity.api();
  }

  @Override
  public String model() {
    return call.request.getValue(Fields.MODEL) instanceof String model ? model : null;
  }

  @Override
  public String sessionId() {
    return call.identity.sessionId();
  }

  @Override
  public String userId() {
    return call.identity.userId();
  }

  @Override
  public boolean streaming() {
    return Boolean.TRUE.equals(call.request.getValue(Fields.STREAM));
  }

  @Override
  public JsonObject request() {
    return call.request;
  }

  /** After the request hook: the request that went upstream, for the later hooks. */
  void requestSent(JsonObject request) {
    call.request = request;
  }

  @Override
  public <T> T state(Class<T> type, Supplier<? extends T> initial) {
    return type.cast(
        call.states
            .computeIfAbsent(owner, o -> new HashMap<>())
            .computeIfAbsent(type, key -> initial.get()));
  }

  /**
   * Records a policy event of type {@code policy.<type>}: it goes back with the reply (to be
   * recorded and shown live) and becomes a span event of that name on the call's policy span. The
   * data names the policy that emitted it ({@code policy}).
   */
  @Override
  public void emit(String type, JsonObject data) {
    JsonObject payload = data == null ? new JsonObject() : data.copy();
    if (!payload.containsKey(Fields.POLICY)) {
      payload.put(Fields.POLICY, owner.name());
    }
    String eventType = Fields.EVENT_POLICY_PREFIX + type;
    call.pendingEvents.add(new PolicyEvent(eventType, Instant.now(), payload));
    if (call.span.isRecording()) {
      call.span.addEvent(eventType, PolicyTelemetry.eventAttributes(payload));
    }
  }

  @Override
  public Vertx vertx() {
    return call.vertx;
  }

  /** The name of the policy whose view this is. */
  String policyName() {
    return owner.name();
  }

  @Override
  public ModelClient models() {
    return models;
  }

  @Override
  public PolicyContext forPolicy(Policy member) {
    return call.views.computeIfAbsent(member, m -> new CallContext(call, m));
  }

  /**
   * The span that {@link #emit} adds its events to (the current hook's), and model calls' parent.
   */
  void traceTo(Span span) {
    call.span = span;
  }

  Span span() {
    return call.span;
  }

  /** Hands over what was emitted since the last call, for the reply that is about to go out. */
  List<PolicyEvent> drainEvents() {
    List<PolicyEvent> drained = call.pendingEvents;
    call.pendingEvents = new ArrayList<>();
    return drained;
  }
}
