package io.luthien.policy.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one call through a policy in memory, with the gateway's rules (one context for the call,
 * chunks strictly in order, a stream that ends at an {@link ChunkVerdict#end}): for a policy's unit
 * tests.
 */
public final class PolicyHarness {

  /** What a stream became: the chunks the client gets, and whether the policy ended it. */
  public record StreamResult(List<JsonObject> chunks, boolean endedByPolicy) {}

  private final Policy policy;
  private final LocalPolicyContext context;

  public PolicyHarness(Policy policy, JsonObject request) {
    this(policy, request, null, null);
  }

  public PolicyHarness(Policy policy, JsonObject request, Vertx vertx, ModelClient models) {
    this.policy = policy;
    this.context = new LocalPolicyContext("call-test", "openai", request, vertx, models);
  }

  public LocalPolicyContext context() {
    return context;
  }

  /** The request hook on the harness's request; an allowed request becomes the call's request. */
  public Future<RequestDecision> request() {
    return policy
        .onRequest(context.request(), context)
        .onSuccess(
            decision -> {
              if (!decision.blocked()) {
                context.setRequest(decision.request());
              }
            });
  }

  public Future<JsonObject> response(JsonObject response) {
    return policy.onResponse(response, context);
  }

  /** Every chunk in order, then the end-of-stream flush (unless the policy ended the stream). */
  public Future<StreamResult> stream(List<JsonObject> chunks) {
    List<JsonObject> out = new ArrayList<>();
    Future<Boolean> ended = Future.succeededFuture(false);
    for (JsonObject chunk : chunks) {
      ended =
          ended.compose(
              done -> {
                if (done) {
                  return Future.succeededFuture(true);
                }
                return policy
                    .onChunk(chunk.copy(), context)
                    .map(
                        verdict -> {
                          out.addAll(ChunkVerdicts.chunksAfter(verdict, chunk));
                          return verdict.endsStream();
                        });
              });
    }
    return ended.compose(
        done ->
            done
                ? Future.succeededFuture(new StreamResult(out, true))
                : policy
                    .onStreamEnd(context)
                    .map(
                        rest -> {
                          out.addAll(rest);
                          return new StreamResult(out, false);
                        }));
  }
}
