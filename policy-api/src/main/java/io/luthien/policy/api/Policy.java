package io.luthien.policy.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * A policy sees every call in the canonical (OpenAI chat completions) shape and may rewrite or
 * block it. One {@link PolicyContext} lives for the whole call, from {@link #onRequest} to {@link
 * #onResponse} or the last {@link #onStreamEnd}. Inputs are the policy's own copies; return new
 * objects rather than mutating them: the readers and rewrites of {@link
 * io.luthien.canonical.Completions} and {@link io.luthien.canonical.Chunks} return copies. Every
 * hook may be asynchronous; the defaults pass everything through.
 *
 * <p>A policy class has a public constructor taking its {@link PolicyConfig} (or a {@link
 * JsonObject}, or none); a constructor that throws {@link IllegalArgumentException} refuses the
 * config, and the message should name the key.
 */
public interface Policy {

  /**
   * Called once before the policy serves, on the policy node's Vert.x; a failed future refuses the
   * policy like a bad config.
   */
  default Future<Void> start(Vertx vertx) {
    return Future.succeededFuture();
  }

  /** Called once when the policy is replaced (a reload) or the node stops. */
  default void close() {}

  default Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
    return Future.succeededFuture(RequestDecision.allow(request));
  }

  default Future<JsonObject> onResponse(JsonObject response, PolicyContext context) {
    return Future.succeededFuture(response);
  }

  /**
   * One streamed chunk in; the verdict passes it, holds it back, replaces it with zero or more
   * chunks, or ends the stream.
   */
  default Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
    return Future.succeededFuture(ChunkVerdict.pass());
  }

  /** The upstream stream ended: flush whatever {@link #onChunk} held back. */
  default Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
    return Future.succeededFuture(List.of());
  }

  /**
   * How long one of this policy's hooks may take; null for the node's {@code POLICY_TIMEOUT_MS}. A
   * judge that calls a model says so here.
   */
  default Duration hookTimeout() {
    return null;
  }

  default String name() {
    return getClass().getSimpleName();
  }
}
