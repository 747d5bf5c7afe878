package io.luthien.policy;

import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The open streams of one policy instance. Each stream keeps the policy it started with (a reload applies to
 * new calls only), its context, and the next sequence number it expects: chunks are processed strictly in
 * order, one after the other even when a hook is asynchronous.
 */
final class StreamSessions {

  private final Map<String, Session> sessions = new HashMap<>();
  private final long idleMillis;

  StreamSessions(long idleMillis) {
    this.idleMillis = idleMillis;
  }

  void open(String callId, JsonObject request, Policy policy) {
    sessions.put(callId, new Session(policy, new PolicyContext(callId, request)));
  }

  /** Handles a {@code chunk} or {@code close} message; close ends the session whatever its outcome. */
  Future<JsonObject> handle(JsonObject message) {
    String callId = message.getString(Fields.CALL_ID);
    Session session = sessions.get(callId);
    if (session == null) {
      return Future.failedFuture(new PolicyCalls.UnknownStreamException(callId));
    }
    long seq = message.getLong(Fields.SEQ, -1L);
    if (seq != session.nextSeq) {
      sessions.remove(callId);
      return Future.failedFuture(new IllegalArgumentException(
          "call " + callId + ": expected chunk seq " + session.nextSeq + ", got " + seq));
    }
    session.nextSeq++;
    session.lastTouched = System.currentTimeMillis();
    boolean close = Fields.KIND_CLOSE.equals(message.getString(Fields.KIND));
    Future<JsonObject> outcome = session.tail.compose(previous -> close
            ? run(session, "onStreamEnd", () -> session.policy.onStreamEnd(session.context))
            : run(session, "onChunk", () -> session.policy.onChunk(message.getJsonObject(Fields.CHUNK), session.context)));
    session.tail = outcome;
    if (close) {
      outcome.onComplete(done -> sessions.remove(callId));
    } else {
      outcome.onFailure(error -> sessions.remove(callId));
    }
    return outcome;
  }

  /** Drops streams whose gateway went quiet (crashed or lost), so their state does not pile up. */
  int sweepIdle(long now) {
    int before = sessions.size();
    sessions.values().removeIf(session -> now - session.lastTouched > idleMillis);
    return before - sessions.size();
  }

  private static Future<JsonObject> run(Session session, String hook, Supplier<Future<List<JsonObject>>> call) {
    return PolicyCalls.invoke(session.policy, hook, call)
        .map(chunks -> new JsonObject()
            .put(Fields.CHUNKS, new JsonArray(List.copyOf(chunks)))
            .put(Fields.EVENTS, session.context.drainEvents()));
  }

  private static final class Session {
    private final Policy policy;
    private final PolicyContext context;
    private long nextSeq;
    private long lastTouched = System.currentTimeMillis();
    private Future<JsonObject> tail = Future.succeededFuture();

    private Session(Policy policy, PolicyContext context) {
      this.policy = policy;
      this.context = context;
    }
  }
}
