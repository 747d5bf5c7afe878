package io.luthien.policy;

import io.luthien.policy.PolicyTelemetry.CallTrace;
import io.luthien.policy.PolicyTelemetry.Hook;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.Blocked;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponse;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.luthien.shared.payloads.PolicyStreamMessage;
import io.luthien.shared.payloads.PolicyStreamOpen;
import io.luthien.shared.payloads.PolicyStreamOpened;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.luthien.shared.telemetry.TelemetryNames;
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
  private StreamSessions streams;
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
    policies = new PolicySource(vertx, settings.configPath());
    streams = new StreamSessions(settings.streamIdleMillis(), telemetry);
    sessionAddress = Addresses.POLICY_STREAM_SESSION_PREFIX + UUID.randomUUID();
    return policies
        .load()
        .compose(loaded -> registerConsumers())
        .onSuccess(registered -> scheduleHousekeeping(settings));
  }

  /** Streams still open end their spans: a span that never ends is never exported. */
  @Override
  public Future<?> stop() {
    if (streams != null) {
      streams.abandonAll("the policy verticle stopped");
    }
    return Future.succeededFuture();
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    String eventLoop = Thread.currentThread().getName();
    return Future.all(
        List.of(
            bus.<JsonObject>consumer(Addresses.POLICY_REQUEST, this::processRequest).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_RESPONSE, this::processResponse).completion(),
            bus.<JsonObject>consumer(Addresses.POLICY_STREAM_OPEN, this::openStream).completion(),
            bus.<JsonObject>localConsumer(
                    Addresses.colocated(Addresses.POLICY_REQUEST, eventLoop), this::processRequest)
                .completion(),
            bus.<JsonObject>localConsumer(
                    Addresses.colocated(Addresses.POLICY_RESPONSE, eventLoop),
                    this::processResponse)
                .completion(),
            bus.<JsonObject>localConsumer(
                    Addresses.colocated(Addresses.POLICY_STREAM_OPEN, eventLoop), this::openStream)
                .completion(),
            bus.<JsonObject>consumer(sessionAddress, this::continueStream).completion()));
  }

  @SuppressWarnings(
      "VertxFutureReturnValueIgnored") // reloadIfChanged recovers from (and logs) its own failures
  private void scheduleHousekeeping(PolicySettings settings) {
    vertx.setPeriodic(settings.reloadIntervalMillis(), id -> policies.reloadIfChanged());
    vertx.setPeriodic(
        Math.max(1_000, settings.streamIdleMillis() / 4),
        id -> {
          int dropped = streams.sweepIdle(System.currentTimeMillis());
          if (dropped > 0) {
            log.warn(
                "dropped {} policy streams idle for over {} ms",
                dropped,
                settings.streamIdleMillis());
          }
        });
  }

  private void processRequest(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () -> {
          PolicyRequest call = PolicyRequest.fromJson(message.body());
          Policy policy = policies.current();
          PolicyContext context = new PolicyContext(call.callId(), call.request());
          JsonObject given = context.request();
          CallTrace trace =
              telemetry.start(
                  TelemetryNames.SPAN_POLICY_REQUEST,
                  policy,
                  context,
                  Boolean.TRUE.equals(given.getValue(Fields.STREAM)));
          if (call.api() != null) {
            trace.span().setAttribute(TelemetryNames.API, call.api());
          }
          return telemetry
              .run(trace, policy, Hook.REQUEST, () -> policy.onRequest(given, context))
              .map(
                  decision -> {
                    telemetry.requestDecided(trace, policy, given, decision);
                    return requestReply(decision, context).toJson();
                  })
              .onComplete(done -> trace.end(done.cause()));
        });
  }

  private static PolicyRequestReply requestReply(RequestDecision decision, PolicyContext context) {
    return decision.blocked()
        ? PolicyRequestReply.refused(
            new Blocked(decision.blockedStatus(), decision.blockedMessage()), context.drainEvents())
        : PolicyRequestReply.allowed(decision.request(), context.drainEvents());
  }

  private void processResponse(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () -> {
          PolicyResponse call = PolicyResponse.fromJson(message.body());
          Policy policy = policies.current();
          PolicyContext context = new PolicyContext(call.callId(), call.request());
          JsonObject response = call.response();
          CallTrace trace =
              telemetry.start(TelemetryNames.SPAN_POLICY_RESPONSE, policy, context, false);
          return telemetry
              .run(trace, policy, Hook.RESPONSE, () -> policy.onResponse(response, context))
              .map(
                  finalResponse -> {
                    telemetry.responseDecided(trace, policy, response, finalResponse);
                    return new PolicyResponseReply(finalResponse, context.drainEvents()).toJson();
                  })
              .onComplete(done -> trace.end(done.cause()));
        });
  }

  private void openStream(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () -> {
          PolicyStreamOpen open = PolicyStreamOpen.fromJson(message.body());
          streams.open(open.callId(), open.request(), policies.current());
          return Future.succeededFuture(new PolicyStreamOpened(sessionAddress).toJson());
        });
  }

  private void continueStream(Message<JsonObject> message) {
    PolicyCalls.reply(
        message,
        () ->
            streams
                .handle(PolicyStreamMessage.fromJson(message.body()))
                .map(PolicyStreamReply::toJson));
  }
}
