package io.luthien.policy.library;

import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.ChunkVerdicts;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.RequestDecision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs policies one after the other (luthien-proxy's {@code MultiSerialPolicy}, config {@code
 * policies: [{class, config}, ...]}): each one's output is the next one's input, for requests,
 * whole answers and every chunk; a block stops the chain; at the end of a stream each member's
 * flush goes through the members after it; a member that ends the stream has its end go through the
 * members after it too. Each member sees the call through its own view of the context, so its state
 * and events are its own.
 */
public final class MultiSerialPolicy implements Policy {

  private final List<Policy> members;

  public MultiSerialPolicy(List<Policy> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("MultiSerialPolicy: config key 'policies' is empty");
    }
    this.members = List.copyOf(members);
  }

  public List<Policy> members() {
    return members;
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    Future<Void> started = Future.succeededFuture();
    for (Policy member : members) {
      started = started.compose(done -> member.start(vertx));
    }
    return started;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Policy member : members) {
      try {
        member.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The longest of the members' own hook timeouts: a chain hook runs them one after the other. */
  @Override
  public Duration hookTimeout() {
    Duration total = null;
    for (Policy member : members) {
      Duration own = member.hookTimeout();
      if (own != null) {
        total = total == null ? own : total.plus(own);
      }
    }
    return total;
  }

  @Override
  public String name() {
    return "MultiSerialPolicy["
        + String.join(", ", members.stream().map(Policy::name).toList())
        + "]";
  }

  @Override
  public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    Future<RequestDecision> decision = Future.succeededFuture(RequestDecision.allow(request));
    for (Policy member : members) {
      decision =
          decision.compose(
              previous ->
                  previous.blocked()
                      ? Future.succeededFuture(previous)
                      : member.onRequest(previous.request(), context.forPolicy(member)));
    }
    return decision;
  }

  @Override
  public Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    Future<JsonObject> current = Future.succeededFuture(response);
    for (Policy member : members) {
      current = current.compose(given -> member.onResponse(given, context.forPolicy(member)));
    }
    return current;
  }

  @Override
  public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    return through(0, List.of(chunk), context)
        .map(
            passed ->
                passed.ended
                    ? ChunkVerdict.endedWith(passed.chunks)
                    : ChunkVerdict.emit(passed.chunks));
  }

  @Override
  public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    Future<List<JsonObject>> flushed = Future.succeededFuture(List.of());
    for (int i = 0; i < members.size(); i++) {
      int at = i;
      Policy member = members.get(at);
      flushed =
          flushed.compose(
              before ->
                  member
                      .onStreamEnd(context.forPolicy(member))
                      .compose(own -> through(at + 1, own, context))
                      .map(after -> concat(before, after.chunks)));
    }
    return flushed;
  }

  /** Chunks that go on from member {@code from} to the last one, and whether a member ended. */
  private record Passed(List<JsonObject> chunks, boolean ended) {}

  private Future<Passed> through(int from, List<JsonObject> chunks, PolicyContext context) {
    Future<Passed> current = Future.succeededFuture(new Passed(chunks, false));
    for (int i = from; i < members.size(); i++) {
      int at = i;
      Policy member = members.get(at);
      current =
          current.compose(
              given -> {
                if (given.ended) {
                  return Future.succeededFuture(given);
                }
                return oneMember(member, given.chunks, context)
                    .compose(
                        out ->
                            out.ended
                                // the end goes on through the rest, who then flush what they held
                                ? through(at + 1, out.chunks, context)
                                    .compose(rest -> flushAfter(at + 1, rest.chunks, context))
                                    .map(all -> new Passed(all, true))
                                : Future.succeededFuture(out));
              });
    }
    return current;
  }

  private Future<Passed> oneMember(Policy member, List<JsonObject> chunks, PolicyContext context) {
    PolicyContext own = context.forPolicy(member);
    Future<Passed> current = Future.succeededFuture(new Passed(List.of(), false));
    for (JsonObject chunk : chunks) {
      current =
          current.compose(
              sofar ->
                  sofar.ended
                      ? Future.succeededFuture(sofar)
                      : member
                          .onChunk(chunk, own)
                          .map(
                              verdict ->
                                  new Passed(
                                      concat(
                                          sofar.chunks,
                                          ChunkVerdicts.chunksAfter(
                                              Objects.requireNonNull(
                                                  verdict, member.name() + " returned no verdict"),
                                              chunk)),
                                      verdict.endsStream())));
    }
    return current;
  }

  /** After an end: the members from {@code from} on flush, each flush through those after it. */
  private Future<List<JsonObject>> flushAfter(
      int from, List<JsonObject> chunks, PolicyContext context) {
    if (from >= members.size()) {
      return Future.succeededFuture(chunks);
    }
    Policy member = members.get(from);
    return member
        .onStreamEnd(context.forPolicy(member))
        .compose(own -> through(from + 1, own, context))
        .map(after -> insertBeforeEnd(chunks, after.chunks))
        .compose(all -> flushAfter(from + 1, all, context));
  }

  /** Held text flushed at an end belongs before the finishing chunk. */
  private static List<JsonObject> insertBeforeEnd(List<JsonObject> ending, List<JsonObject> held) {
    if (held.isEmpty() || ending.isEmpty()) {
      return concat(ending, held);
    }
    List<JsonObject> out = new ArrayList<>(ending.subList(0, ending.size() - 1));
    out.addAll(held);
    out.add(ending.get(ending.size() - 1));
    return out;
  }

  private static List<JsonObject> concat(List<JsonObject> first, List<JsonObject> second) {
    if (second.isEmpty()) {
      return first;
    }
    List<JsonObject> out = new ArrayList<>(first);
    out.addAll(second);
    return out;
  }
}
