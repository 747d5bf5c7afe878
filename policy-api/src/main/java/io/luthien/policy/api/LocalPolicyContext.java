package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link PolicyContext} held in memory, for a policy's unit tests ({@link PolicyHarness}) and for
 * composing policies: what it emits is kept in {@link #events()}, each event named after the policy
 * that emitted it.
 */
public final class LocalPolicyContext implements PolicyContext {

  /** One emitted event: {@code policy.<type>}, the policy that emitted it, and its data. */
  public record Event(String type, String policy, JsonObject data) {}

  private final String callId;
  private final String api;
  private final Vertx vertx;
  private final ModelClient models;
  private final Map<Policy, Map<Class<?>, Object>> states;
  private final Map<Policy, LocalPolicyContext> views;
  private final List<Event> events;
  private final Policy owner;
  private final String policy;
  private JsonObject request;

  public LocalPolicyContext(
      String callId, String api, JsonObject request, Vertx vertx, ModelClient models) {
    this(
        callId,
        api,
        request,
        vertx,
        models,
        new ArrayList<>(),
        new IdentityHashMap<>(),
        new IdentityHashMap<>(),
        null);
  }

  private LocalPolicyContext(
      String callId,
      String api,
      JsonObject request,
      Vertx vertx,
      ModelClient models,
      List<Event> events,
      Map<Policy, Map<Class<?>, Object>> states,
      Map<Policy, LocalPolicyContext> views,
      Policy owner) {
    this.callId = callId;
    this.api = api;
    this.request = request == null ? new JsonObject() : request;
    this.vertx = vertx;
    this.models = models == null ? LocalPolicyContext::noModels : models;
    this.events = events;
    this.states = states;
    this.views = views;
    this.owner = owner;
    this.policy = owner == null ? "policy" : owner.name();
  }

  /** A view for one policy: its own state; its events go to the same list under its name. */
  @Override
  public LocalPolicyContext forPolicy(Policy member) {
    return views.computeIfAbsent(
        member,
        m -> new LocalPolicyContext(callId, api, request, vertx, models, events, states, views, m));
  }

  /** The request the later hooks see (the one that went upstream); every view sees it. */
  public void setRequest(JsonObject request) {
    this.request = request;
    views.values().forEach(view -> view.request = request);
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public String api() {
    return api;
  }

  @Override
  public String model() {
    return request.getString(Canonical.MODEL);
  }

  @Override
  public String sessionId() {
    return null;
  }

  @Override
  public String userId() {
    return null;
  }

  @Override
  public boolean streaming() {
    return Boolean.TRUE.equals(request.getValue("stream"));
  }

  @Override
  public JsonObject request() {
    return request;
  }

  @Override
  public <T> T state(Class<T> type, Supplier<? extends T> initial) {
    return type.cast(
        states
            .computeIfAbsent(owner, o -> new HashMap<>())
            .computeIfAbsent(type, key -> initial.get()));
  }

  @Override
  public void emit(String type, JsonObject data) {
    events.add(new Event("policy." + type, policy, data == null ? new JsonObject() : data));
  }

  @Override
  public Vertx vertx() {
    if (vertx == null) {
      throw new IllegalStateException("this context was made without a Vert.x");
    }
    return vertx;
  }

  @Override
  public ModelClient models() {
    return models;
  }

  private static Future<JsonObject> noModels(JsonObject request, ModelClient.Options options) {
    return Future.failedFuture(new IllegalStateException("no model client in this context"));
  }
}
