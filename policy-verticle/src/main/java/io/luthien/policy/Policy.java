package io.luthien.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A policy sees every call in the canonical (OpenAI chat completions) shape and may rewrite or
 * block it. Inputs are the policy's own copies; return new objects rather than mutating them: the
 * readers and rewrites of {@link io.luthien.canonical.Completions} and {@link
 * io.luthien.canonical.Chunks} return copies. Every hook may be asynchronous; the defaults pass
 * everything through.
 */
public interface Policy {

  default Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    return Future.succeededFuture(RequestDecision.allow(request));
  }

  default Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    return Future.succeededFuture(response);
  }

  /**
   * One streamed chunk in, zero or more chunks out: a policy may drop, rewrite, split or hold back
   * chunks.
   */
  default Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
    return Future.succeededFuture(List.of(chunk));
  }

  /** The upstream stream ended: flush whatever {@link #onChunk} held back. */
  default Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    return Future.succeededFuture(List.of());
  }

  default String name() {
    return getClass().getSimpleName();
  }
}
