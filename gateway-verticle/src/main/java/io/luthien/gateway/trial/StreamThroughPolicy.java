package io.luthien.gateway.trial;

import io.luthien.canonical.ChunkAccumulator;
import io.luthien.gateway.policy.PolicyStream;
import io.luthien.gateway.stream.ChunkStream;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A streamed answer through the call's policy stream, as a client's stream goes, but without a
 * client: every chunk in order, one at a time, then the close that flushes what the policy held
 * back; a chunk the policy ends the stream with is the last one delivered. The answer is read whole
 * before the policy sees it (a trial has no client waiting on the first chunk), and both sides are
 * added up into whole answers.
 */
final class StreamThroughPolicy {

  private final PolicyStream policy;
  private final TrialEvents events;
  private final ChunkAccumulator original = new ChunkAccumulator();
  private final ChunkAccumulator delivered = new ChunkAccumulator();

  private StreamThroughPolicy(PolicyStream policy, TrialEvents events) {
    this.policy = policy;
    this.events = events;
  }

  /** {@code policy} is opened only once the answer has been read. */
  static Future<TrialAnswer> run(
      ChunkStream answer, Supplier<PolicyStream> policy, TrialEvents events) {
    Future<List<JsonObject>> chunks = answer.collect(Collectors.toList());
    answer.resume();
    return chunks.compose(
        all -> {
          StreamThroughPolicy run = new StreamThroughPolicy(policy.get(), events);
          all.forEach(run.original::add);
          return run.send(all.iterator())
              .map(done -> new TrialAnswer(run.original.completion(), run.delivered.completion()));
        });
  }

  private Future<Void> send(Iterator<JsonObject> chunks) {
    if (!chunks.hasNext()) {
      return policy.close().map(this::deliver).mapEmpty();
    }
    return policy
        .chunk(chunks.next())
        .compose(
            reply -> {
              deliver(reply);
              if (reply.ended()) {
                policy.abandon();
                return Future.succeededFuture();
              }
              return send(chunks);
            });
  }

  private PolicyStreamReply deliver(PolicyStreamReply reply) {
    events.add(TrialEvents.STREAM, reply.events());
    reply.chunks().forEach(delivered::add);
    return reply;
  }
}
