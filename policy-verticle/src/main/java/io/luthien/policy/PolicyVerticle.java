package io.luthien.policy;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyRelease;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponse;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.luthien.shared.payloads.PolicyStreamMessage;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.luthien.shared.payloads.SessionMessageKind;
import io.luthien.shared.policystore.PolicyStore;
import io.luthien.shared.policystore.StoredPolicy;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured policy for every call that reaches it over the event bus (ARCHITECTURE.md
 * §2).
 */
public final class PolicyVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PolicyVerticle.class);

  private final PolicyTelemetry telemetry;
  private PolicySource policies;
  private PolicyAdminReplies admin;
  private Pool storePool;
  private CandidatePolicies candidates;
  private CallSessions calls;
  private String sessionAddress;

  /** Without telemetry (tests, or {@code OTEL_ENABLED=false}). */
  public PolicyVerticle() {
    this(OpenTelemetry.noop());
  }

  public PolicyVerticle(OpenTelemetry openTelemetry) {
    this.telemetry = new PolicyTelemetry(openTelemetry);
  }

  @Override
  public Future<?> start() {
    PolicySettings settings = PolicySettings.from(config());
    PolicyCatalog catalog = PolicyCatalog.load(settings.pluginsDir());
    PolicyFactory factory = new PolicyFactory(catalog, vertx);
    PolicyFile file =
        settings.configPath() == null
            ? null
            : new PolicyFile(vertx, settings.configPath(), factory);
    policies = new PolicySource(settings.source(), file, policyStore(settings), factory);
    admin = new PolicyAdminReplies(policies, catalog, factory);
    candidates =
        new CandidatePolicies(
            factory,
            CandidatePolicies.DEFAULT_CAPACITY,
            CandidatePolicies.DEFAULT_IDLE_MILLIS,
            System::currentTimeMillis);
    calls =
        new CallSessions(
            settings.streamIdleMillis(),
            settings.timeoutMillis(),
            telemetry,
            vertx,
            new ModelCalls(vertx));
    sessionAddress = Addresses.POLICY_SESSION_PREFIX + UUID.randomUUID();
    return policies
        .load()
        .compose(loaded -> registerConsumers())
        .onSuccess(registered -> scheduleHousekeeping(settings));
  }

  /** Calls still open end their spans: a span that never ends is never exported. */
  @Override
  public Future<?> stop() {
    if (calls != null) {
      calls.abandonAll("the policy verticle stopped");
    }
    if (policies != null) {
      policies.stop();
    }
    if (candidates != null) {
      candidates.retireAll();
    }
    return storePool == null ? Future.succeededFuture() : storePool.close();
  }

  /**
   * The stored policy's database, through one small pool the node's policy instances share; null
   * when the policy comes from the file only.
   */
  private PolicyStore policyStore(PolicySettings settings) {
    if (settings.database() == null) {
      return null;
    }
    storePool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1).setShared(true).setName("luthien-policy-store"))
            .connectingTo(settings.database().connectOptions())
            .using(vertx)
            .build();
    return new PolicyStore(storePool);
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    String eventLoop = Thread.currentThread().getName();
    return Future.all(
        List.of(
            bus.<JsonObject>consumer(Addresses.POLICY_REQUEST, this::processRequest).completion(),
            bus.<JsonObject>localConsumer(
                    Addresses.colocated(Addresses.POLICY_REQUEST, eventLoop), this::processRequest)
                .completion(),
            bus.<JsonObject>consumer(sessionAddress, this::continueCall).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_CHANGED, this::policyChanged).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_CURRENT, admin::current).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_CATALOG, admin::catalog).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_VALIDATE, admin::validate).completion()));
  }

  @SuppressWarnings(
      "VertxFutureReturnValueIgnored") // refresh recovers from (and logs) its own failures
  private void scheduleHousekeeping(PolicySettings settings) {
    vertx.setPeriodic(settings.reloadIntervalMillis(), id -> policies.refresh());
    vertx.setPeriodic(CandidatePolicies.DEFAULT_IDLE_MILLIS / 4, id -> candidates.retireIdle());
    vertx.setPeriodic(
        Math.max(1_000, settings.streamIdleMillis() / 4),
        id -> {
          int dropped = calls.sweepIdle(System.currentTimeMillis());
          if (dropped > 0) {
            log.warn(
                "dropped {} policy calls idle for over {} ms",
                dropped,
                settings.streamIdleMillis());
          }
        });
  }

  @SuppressWarnings(
      "VertxFutureReturnValueIgnored") // changed() recovers from and logs its failures
  private void policyChanged(Message<JsonObject> message) {
    StoredPolicy stored;
    try {
      stored = StoredPolicy.fromJson(message.body());
    } catch (RuntimeException malformed) {
      log.warn("ignored a malformed policy change: {}", malformed.toString());
      return;
    }
    policies.changed(stored);
  }

  /** A call carrying a candidate runs on that candidate; the active policy stays as it is. */
  private void processRequest(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () -> {
          PolicyRequest call = PolicyRequest.fromJson(message.body());
          Future<ActivePolicy> policy =
              call.candidate() == null
                  ? Future.succeededFuture(policies.current())
                  : candidates.get(call.candidate());
          return policy
              .compose(
                  active ->
                      calls.request(
                          call, active, sessionAddress, BusTrace.context(message.headers())))
              .map(PolicyRequestReply::toJson);
        });
  }

  /** A session message: the whole answer, a stream's chunk or close, or a release. */
  private void continueCall(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () -> {
          JsonObject body = message.body();
          return switch (SessionMessageKind.of(body)) {
            case Fields.KIND_RESPONSE ->
                calls
                    .response(PolicyResponse.fromJson(body), BusTrace.context(message.headers()))
                    .map(PolicyResponseReply::toJson);
            case Fields.KIND_RELEASE -> {
              calls.release(PolicyRelease.fromJson(body).callId());
              yield Future.succeededFuture(new JsonObject());
            }
            default ->
                calls.stream(PolicyStreamMessage.fromJson(body)).map(PolicyStreamReply::toJson);
          };
        });
  }
}
