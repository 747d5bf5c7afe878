package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.ChunkStream;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * An upstream model provider, spoken to in the OpenAI chat completions shape. {@code trace} is the
 * context of the call's {@code llm.completion} span; a provider reached over the network sends it
 * on as {@code traceparent}.
 */
public interface ChatProvider {

  /**
   * A whole completion, authenticated by {@code auth}; fails with {@link UpstreamHttpException}
   * when the provider answers with an error. When {@code clientGone} completes first, the upstream
   * request is abandoned.
   */
  Future<JsonObject> complete(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace);

  /**
   * A streamed completion: succeeds once the provider accepted the request and its chunks can be
   * read.
   */
  Future<ChunkStream> stream(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace);

  /** A whole completion with the server's provider key. */
  default Future<JsonObject> complete(JsonObject request, Future<Void> clientGone, Context trace) {
    return complete(request, UpstreamAuth.SERVER, clientGone, trace);
  }

  /** A streamed completion with the server's provider key. */
  default Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone, Context trace) {
    return stream(request, UpstreamAuth.SERVER, clientGone, trace);
  }

  /**
   * Refuses, before anything is sent, a client credential this provider cannot take (an Anthropic
   * credential for an OpenAI-compatible provider); {@code model} and {@code providerName} are for
   * the message.
   */
  default void checkPassThrough(UpstreamAuth auth, String model, String providerName) {}

  /**
   * Anthropic's {@code count_tokens} where the provider can count; empty where the gateway must
   * estimate.
   */
  default Optional<TokenCounter> tokenCounter() {
    return Optional.empty();
  }

  /**
   * The models the provider itself lists ({@code GET /v1/models}), within a bounded time; fails
   * when it cannot say. None for a provider that has no list.
   */
  default Future<List<ProviderModel>> models() {
    return Future.succeededFuture(List.of());
  }

  /** A provider's own count of a request's input tokens. */
  interface TokenCounter {
    Future<TokenCount> count(TokenCountRequest request, Future<Void> clientGone, Context trace);
  }
}
