package io.luthien.policy;

import io.luthien.policy.PolicyTelemetry.CallTrace;
import io.luthien.policy.PolicyTelemetry.Hook;
import io.luthien.shared.payloads.PolicyStreamChunk;
import io.luthien.shared.payloads.PolicyStreamClose;
import io.luthien.shared.payloads.PolicyStreamMessage;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The open streams of one policy instance. Each stream keeps the policy it started with (a reload
 * applies to new calls only), its context, and the next sequence number it expects: chunks are
 * processed strictly in order, one after the other even when a hook is asynchronous. Each stream
 * has one {@code policy.process_stream} span, from open to close (or failure, or expiry); its
 * chunks are counted on it, not traced one by one.
 */
final class StreamSessions {

  private final Map<String, Session> sessions = new HashMap<>();
  private final long idleMillis;
  private final PolicyTelemetry telemetry;

  StreamSessions(long idleMillis, PolicyTelemetry telemetry) {
    this.idleMillis = idleMillis;
    this.telemetry = telemetry;
  }

  /** Opens the call's stream; its span is a child of the current context, the open message's. */
  void open(String callId, JsonObject request, Policy policy) {
    PolicyContext context = new PolicyContext(callId, request);
    CallTrace trace = telemetry.start(TelemetryNames.SPAN_POLICY_STREAM, policy, context, true);
    Session previous = sessions.put(callId, new Session(policy, context, trace));
    if (previous != null) {
      previous.abandon("the stream was opened again before it was closed", false);
    }
  }

  /**
   * Handles a {@code chunk} or {@code close} message; close ends the session whatever its outcome.
   */
  Future<PolicyStreamReply> handle(PolicyStreamMessage message) {
    String callId = message.callId();
    Session session = sessions.get(callId);
    if (session == null) {
      return Future.failedFuture(new PolicyCalls.UnknownStreamException(callId));
    }
    if (message.seq() != session.nextSeq) {
      sessions.remove(callId, session);
      IllegalArgumentException outOfOrder =
          new IllegalArgumentException(
              "call "
                  + callId
                  + ": expected chunk seq "
                  + session.nextSeq
                  + ", got "
                  + message.seq());
      session.end(outOfOrder);
      return Future.failedFuture(outOfOrder);
    }
    session.nextSeq++;
    session.lastTouched = System.currentTimeMillis();
    boolean close = message instanceof PolicyStreamClose;
    if (!close) {
      session.chunks++;
    }
    Future<PolicyStreamReply> outcome =
        session.tail.compose(
            previous ->
                message instanceof PolicyStreamChunk chunk
                    ? run(
                        session,
                        Hook.CHUNK,
                        () -> session.policy.onChunk(chunk.chunk(), session.context))
                    : run(
                        session,
                        Hook.STREAM_END,
                        () -> session.policy.onStreamEnd(session.context)));
    session.tail = outcome;
    if (close) {
      outcome.onComplete(
          done -> {
            sessions.remove(callId, session);
            session.end(done.cause());
          });
    } else {
      outcome.onFailure(
          error -> {
            sessions.remove(callId, session);
            session.end(error);
          });
    }
    return outcome;
  }

  /** Drops streams whose gateway went quiet (crashed or lost), so their state does not pile up. */
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

  /** Ends every open stream's span, saying why (the sessions are gone with their node). */
  void abandonAll(String reason) {
    sessions.values().forEach(session -> session.abandon(reason, false));
    sessions.clear();
  }

  private Future<PolicyStreamReply> run(
      Session session, Hook hook, Supplier<Future<List<JsonObject>>> call) {
    return telemetry
        .run(session.trace, session.policy, hook, call)
        .map(chunks -> new PolicyStreamReply(chunks, session.context.drainEvents()));
  }

  private static final class Session {
    private final Policy policy;
    private final PolicyContext context;
    private final CallTrace trace;
    private long nextSeq;
    private long chunks;
    private boolean ended;
    private long lastTouched = System.currentTimeMillis();
    private Future<PolicyStreamReply> tail = Future.succeededFuture();

    private Session(Policy policy, PolicyContext context, CallTrace trace) {
      this.policy = policy;
      this.context = context;
      this.trace = trace;
    }

    /** Ends the stream's span once, however many pipelined messages fail after the first. */
    private void end(Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      trace.span().setAttribute(PolicyTelemetry.STREAM_CHUNKS, chunks);
      trace.end(failure);
    }

    private void abandon(String reason, boolean expired) {
      if (ended) {
        return;
      }
      if (expired) {
        trace.span().setAttribute(PolicyTelemetry.STREAM_EXPIRED, true);
      }
      trace
          .span()
          .addEvent(
              PolicyTelemetry.EVENT_STREAM_ABANDONED,
              Attributes.of(PolicyTelemetry.ABANDON_REASON, reason));
      trace.span().setStatus(StatusCode.ERROR, "stream " + reason);
      end(null);
    }
  }
}
