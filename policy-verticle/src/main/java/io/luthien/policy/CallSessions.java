package io.luthien.policy;

import io.luthien.policy.PolicyTelemetry.CallTrace;
import io.luthien.policy.PolicyTelemetry.Hook;
import io.luthien.policy.api.ChunkVerdicts;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.RequestDecision;
import io.luthien.shared.payloads.Blocked;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponse;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.luthien.shared.payloads.PolicyStreamChunk;
import io.luthien.shared.payloads.PolicyStreamClose;
import io.luthien.shared.payloads.PolicyStreamMessage;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The calls open at one policy instance. A call's session opens at its request hook and holds the
 * policy it started with (a reload applies to new calls only) and its one {@link CallContext}; it
 * ends with the response hook, the stream's close, or a release. Stream messages are processed
 * strictly in order of {@code seq}, one after the other even when a hook is asynchronous; each
 * stream has one {@code policy.process_stream} span, its chunks counted on it. A stream a policy
 * ended answers its remaining chunks with nothing until its close.
 */
final class CallSessions {

  private final Map<String, Session> sessions = new HashMap<>();
  private final long idleMillis;
  private final long defaultTimeoutMillis;
  private final PolicyTelemetry telemetry;
  private final Vertx vertx;
  private final ModelCalls models;

  CallSessions(
      long idleMillis,
      long defaultTimeoutMillis,
      PolicyTelemetry telemetry,
      Vertx vertx,
      ModelCalls models) {
    this.idleMillis = idleMillis;
    this.defaultTimeoutMillis = defaultTimeoutMillis;
    this.telemetry = telemetry;
    this.vertx = vertx;
    this.models = models;
  }

  /**
   * Opens the call's session and runs the request hook; a blocked call's session ends at once.
   * {@code parent} is the sender's context (the gateway's server span), parent of the call's spans
   * here.
   */
  Future<PolicyRequestReply> request(
      PolicyRequest call, ActivePolicy active, String address, Context parent) {
    Policy policy = active.acquire().policy();
    CallContext context = CallContext.open(call, policy, vertx, models);
    Session session = new Session(call.callId(), active, context);
    Session previous = sessions.put(call.callId(), session);
    if (previous != null) {
      previous.end(null, "the call was opened again before it ended");
    }
    JsonObject given = context.request();
    CallTrace trace =
        telemetry.start(
            parent, TelemetryNames.SPAN_POLICY_REQUEST, policy, context, context.streaming());
    session.parent = parent;
    if (call.api() != null) {
      trace.span().setAttribute(TelemetryNames.API, call.api());
    }
    return telemetry
        .run(trace, policy, Hook.REQUEST, () -> policy.onRequest(given, context))
        .map(
            decision -> {
              telemetry.requestDecided(trace, policy, given, decision);
              if (decision.blocked()) {
                finish(session, null, null);
                return PolicyRequestReply.refused(
                    new Blocked(decision.blockedStatus(), decision.blockedMessage()),
                    context.drainEvents());
              }
              context.requestSent(decision.request());
              return allowed(decision, context, address, policy);
            })
        .onComplete(
            done -> {
              trace.end(done.cause());
              if (done.failed()) {
                finish(session, null, null);
              }
            });
  }

  private PolicyRequestReply allowed(
      RequestDecision decision, CallContext context, String address, Policy policy) {
    Duration own = policy.hookTimeout();
    Long timeout = own != null && own.toMillis() > defaultTimeoutMillis ? own.toMillis() : null;
    return PolicyRequestReply.allowed(decision.request(), context.drainEvents(), address, timeout);
  }

  /** The whole answer's hook, its span a child of {@code parent}; the session ends with it. */
  Future<PolicyResponseReply> response(PolicyResponse call, Context parent) {
    Session session = sessions.get(call.callId());
    if (session == null) {
      return Future.failedFuture(new PolicyCalls.UnknownStreamException(call.callId()));
    }
    sessions.remove(call.callId(), session);
    Policy policy = session.policy();
    CallContext context = session.context;
    CallTrace trace =
        telemetry.start(parent, TelemetryNames.SPAN_POLICY_RESPONSE, policy, context, false);
    JsonObject response = call.response();
    return telemetry
        .run(trace, policy, Hook.RESPONSE, () -> policy.onResponse(response, context))
        .map(
            finalResponse -> {
              telemetry.responseDecided(trace, policy, response, finalResponse);
              return new PolicyResponseReply(finalResponse, context.drainEvents());
            })
        .onComplete(
            done -> {
              trace.end(done.cause());
              session.end(null, null);
            });
  }

  /** The call ended without another hook: its session goes. */
  void release(String callId) {
    Session session = sessions.remove(callId);
    if (session != null) {
      session.end(null, null);
    }
  }

  /**
   * Handles a {@code chunk} or {@code close} message; close ends the session whatever its outcome.
   */
  Future<PolicyStreamReply> stream(PolicyStreamMessage message) {
    String callId = message.callId();
    Session session = sessions.get(callId);
    if (session == null) {
      return Future.failedFuture(new PolicyCalls.UnknownStreamException(callId));
    }
    if (message.seq() != session.nextSeq) {
      IllegalArgumentException outOfOrder =
          new IllegalArgumentException(
              "call "
                  + callId
                  + ": expected chunk seq "
                  + session.nextSeq
                  + ", got "
                  + message.seq());
      finish(session, outOfOrder, null);
      return Future.failedFuture(outOfOrder);
    }
    session.nextSeq++;
    session.lastTouched = System.currentTimeMillis();
    CallTrace trace = session.streamTrace(telemetry);
    boolean close = message instanceof PolicyStreamClose;
    if (!close) {
      session.chunks++;
    }
    Future<PolicyStreamReply> outcome =
        session.tail.compose(
            previous -> {
              if (session.endedByPolicy) {
                return Future.succeededFuture(new PolicyStreamReply(List.of(), List.of()));
              }
              return message instanceof PolicyStreamChunk chunk
                  ? chunk(session, trace, chunk.chunk())
                  : run(
                          session,
                          trace,
                          Hook.STREAM_END,
                          () -> session.policy().onStreamEnd(session.context))
                      .map(chunks -> reply(session, chunks, false));
            });
    session.tail = outcome;
    if (close) {
      outcome.onComplete(done -> finish(session, done.cause(), null));
    } else {
      outcome.onFailure(error -> finish(session, error, null));
    }
    return outcome;
  }

  private Future<PolicyStreamReply> chunk(Session session, CallTrace trace, JsonObject chunk) {
    Policy policy = session.policy();
    return run(session, trace, Hook.CHUNK, () -> policy.onChunk(chunk.copy(), session.context))
        .map(
            verdict -> {
              if (verdict.endsStream()) {
                session.endedByPolicy = true;
                trace.span().setAttribute(PolicyTelemetry.STREAM_ENDED_BY_POLICY, true);
              }
              return reply(
                  session, ChunkVerdicts.chunksAfter(verdict, chunk), verdict.endsStream());
            });
  }

  private static PolicyStreamReply reply(Session session, List<JsonObject> chunks, boolean ended) {
    return new PolicyStreamReply(chunks, session.context.drainEvents(), ended);
  }

  /** Drops calls whose gateway went quiet (crashed or lost), so their state does not pile up. */
  int sweepIdle(long now) {
    int dropped = 0;
    for (Iterator<Session> open = sessions.values().iterator(); open.hasNext(); ) {
      Session session = open.next();
      if (now - session.lastTouched > idleMillis) {
        open.remove();
        session.abandon("idle for over " + idleMillis + " ms, dropped without a close", true);
        dropped++;
      }
    }
    return dropped;
  }

  /** Ends every open call's span, saying why (the sessions are gone with their node). */
  void abandonAll(String reason) {
    sessions.values().forEach(session -> session.abandon(reason, false));
    sessions.clear();
  }

  private void finish(Session session, Throwable failure, String reason) {
    sessions.remove(session.callId, session);
    session.end(failure, reason);
  }

  private <T> Future<T> run(
      Session session, CallTrace trace, Hook hook, java.util.function.Supplier<Future<T>> call) {
    return telemetry.run(trace, session.policy(), hook, call);
  }

  private static final class Session {
    private final String callId;
    private final ActivePolicy active;
    private final CallContext context;
    private Context parent = Context.root();
    private CallTrace streamTrace;
    private long nextSeq;
    private long chunks;
    private boolean ended;
    private boolean endedByPolicy;
    private long lastTouched = System.currentTimeMillis();
    private Future<PolicyStreamReply> tail = Future.succeededFuture();

    private Session(String callId, ActivePolicy active, CallContext context) {
      this.callId = callId;
      this.active = active;
      this.context = context;
    }

    Policy policy() {
      return active.policy();
    }

    /** The stream's span, started by its first message under the request's trace. */
    CallTrace streamTrace(PolicyTelemetry telemetry) {
      if (streamTrace == null) {
        streamTrace =
            telemetry.start(parent, TelemetryNames.SPAN_POLICY_STREAM, policy(), context, true);
      } else {
        context.traceTo(streamTrace.span());
      }
      return streamTrace;
    }

    /** Ends the call once: its stream span (if any) and its hold on the policy. */
    void end(Throwable failure, String abandonReason) {
      if (ended) {
        return;
      }
      ended = true;
      active.release();
      if (streamTrace == null) {
        return;
      }
      if (abandonReason != null) {
        streamTrace
            .span()
            .addEvent(
                PolicyTelemetry.EVENT_STREAM_ABANDONED,
                Attributes.of(PolicyTelemetry.ABANDON_REASON, abandonReason));
        streamTrace.span().setStatus(StatusCode.ERROR, "stream " + abandonReason);
      }
      streamTrace.span().setAttribute(PolicyTelemetry.STREAM_CHUNKS, chunks);
      streamTrace.end(failure);
    }

    void abandon(String reason, boolean expired) {
      if (expired && streamTrace != null) {
        streamTrace.span().setAttribute(PolicyTelemetry.STREAM_EXPIRED, true);
      }
      end(null, reason);
    }
  }
}
