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
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
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
    PolicyFactory factory = new PolicyFactory(PolicyCatalog.load(settings.pluginsDir()), vertx);
    policies = new PolicySource(vertx, settings.configPath(), factory);
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
    return Future.succeededFuture();
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
            bus.<JsonObject>consumer(sessionAddress, this::continueCall).completion()));
  }

  @SuppressWarnings(
      "VertxFutureReturnValueIgnored") // reloadIfChanged recovers from (and logs) its own failures
  private void scheduleHousekeeping(PolicySettings settings) {
    vertx.setPeriodic(settings.reloadIntervalMillis(), id -> policies.reloadIfChanged());
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
              .compose(active -> calls.request(call, active, sessionAddress))
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
                calls.response(PolicyResponse.fromJson(body)).map(PolicyResponseReply::toJson);
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
