package io.luthien.debug.admin;

import io.luthien.debug.api.ApiProblem;
import io.luthien.debug.api.ApiRequest;
import io.luthien.debug.api.ApiRouter;
import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.ApiAnswer;
import io.luthien.shared.policystore.PolicyStore;
import io.luthien.shared.policystore.StoredPolicy;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * luthien-proxy's policy admin routes: the active policy, the available ones, setting one (checked
 * by a policy node first, then stored and published to every policy node), and the history of
 * changes.
 */
public final class PolicyAdmin {

  private static final Logger log = LoggerFactory.getLogger(PolicyAdmin.class);
  private static final long POLICY_NODE_TIMEOUT_MS = 10_000;
  private static final int HISTORY_LIMIT = 50;
  private static final int HISTORY_MAX = 500;

  private final EventBus bus;
  private final PolicyStore store;

  public PolicyAdmin(EventBus bus, PolicyStore store) {
    this.bus = bus;
    this.store = store;
  }

  public void register(ApiRouter router) {
    router
        .route("GET", "/api/admin/policy/current", this::current)
        .route("GET", "/api/admin/policy/list", this::list)
        .route("POST", "/api/admin/policy/set", this::set)
        .route("GET", "/api/admin/policy/history", this::history);
  }

  private Future<ApiAnswer> current(ApiRequest request) {
    return askPolicyNode(Addresses.POLICY_CURRENT, new JsonObject())
        .map(current -> ApiAnswer.json(200, current));
  }

  private Future<ApiAnswer> list(ApiRequest request) {
    return askPolicyNode(Addresses.POLICY_CATALOG, new JsonObject())
        .map(catalog -> ApiAnswer.json(200, catalog));
  }

  /**
   * {@code {policy_class_ref, config?, enabled_by?}}: 400 naming the class or the key when a policy
   * node refuses it, 409 when the policy nodes read a file only, 503 when the database cannot store
   * it; in every failure nothing changes.
   */
  private Future<ApiAnswer> set(ApiRequest request) {
    JsonObject body = request.json();
    if (!(body.getValue("policy_class_ref") instanceof String classRef) || classRef.isBlank()) {
      throw ApiProblem.badRequest("policy_class_ref is required (a policy class name)");
    }
    Object rawConfig = body.getValue("config");
    if (rawConfig != null && !(rawConfig instanceof JsonObject)) {
      throw ApiProblem.badRequest("config must be a JSON object");
    }
    JsonObject config = rawConfig == null ? new JsonObject() : (JsonObject) rawConfig;
    Object rawEnabledBy = body.getValue("enabled_by");
    if (rawEnabledBy != null && !(rawEnabledBy instanceof String)) {
      throw ApiProblem.badRequest("enabled_by must be a string");
    }
    String enabledBy = rawEnabledBy == null ? "api" : (String) rawEnabledBy;
    long started = System.nanoTime();
    JsonObject section = new JsonObject().put("class", classRef).put("config", config);
    return askPolicyNode(Addresses.POLICY_VALIDATE, section)
        .recover(PolicyAdmin::refusal)
        .compose(
            valid -> {
              if ("file".equals(valid.getString("policy_source"))) {
                throw new ApiProblem(
                    409,
                    "conflict_error",
                    "the policy nodes read their policy from POLICY_CONFIG only (POLICY_SOURCE=file):"
                        + " nothing changed");
              }
              return store
                  .activate(classRef, config, enabledBy)
                  .map(stored -> activated(stored, valid.getString("policy"), started));
            });
  }

  private ApiAnswer activated(StoredPolicy stored, String policyName, long startedNanos) {
    bus.publish(Addresses.POLICY_CHANGED, stored.toJson());
    log.info(
        "policy set to {} by {} (policy_config #{})",
        stored.classRef(),
        stored.enabledBy(),
        stored.id());
    return ApiAnswer.json(
        200,
        new JsonObject()
            .put("success", true)
            .put("message", "Policy set to " + stored.classRef())
            .put("policy", policyName)
            .put("id", stored.id())
            .put("enabled_at", stored.enabledAt().toString())
            .put("enabled_by", stored.enabledBy())
            .put("restart_duration_ms", (System.nanoTime() - startedNanos) / 1_000_000));
  }

  /** A policy node's refusal of the candidate is the client's mistake: 400 with its message. */
  private static Future<JsonObject> refusal(Throwable failure) {
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == 400) {
      return Future.failedFuture(ApiProblem.badRequest(reply.getMessage()));
    }
    return Future.failedFuture(failure);
  }

  private Future<ApiAnswer> history(ApiRequest request) {
    int limit = request.count("limit", HISTORY_LIMIT, 1, HISTORY_MAX);
    Long before = Queries.optionalId(request, "before");
    return store
        .history(limit, before)
        .map(
            changes -> {
              JsonObject page = new JsonObject().put("changes", changes);
              if (changes.size() == limit) {
                page.put("next_before", last(changes).getLong("id"));
              }
              return ApiAnswer.json(200, page);
            });
  }

  private static JsonObject last(JsonArray changes) {
    return changes.getJsonObject(changes.size() - 1);
  }

  private Future<JsonObject> askPolicyNode(String address, JsonObject body) {
    return bus.<JsonObject>request(
            address, body, new DeliveryOptions().setSendTimeout(POLICY_NODE_TIMEOUT_MS))
        .map(Message::body)
        .recover(
            failure -> {
              if (failure instanceof ReplyException reply
                  && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return Future.failedFuture(
                    ApiProblem.unavailable("no policy node is running in the cluster"));
              }
              return Future.failedFuture(failure);
            });
  }
}
