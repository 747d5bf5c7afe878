package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.ChunkStream;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A provider that speaks OpenAI's Responses API itself ({@code api: responses}): a Responses
 * client's call reaches it as a Responses request, and its answer comes back as it is.
 */
public interface ResponsesBackend {

  /**
   * The whole {@code response} object; fails with {@link UpstreamHttpException} when the provider
   * answers with an error.
   */
  Future<JsonObject> respond(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace);

  /**
   * The provider's stream events, each as its JSON object ({@code type}, {@code sequence_number},
   * …): succeeds once the provider accepted the request.
   */
  Future<ChunkStream> respondStreaming(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace);
}
