package io.luthien.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** An upstream model provider, spoken to in the OpenAI chat completions shape. */
interface ChatProvider {

  /**
   * A whole completion; fails with {@link UpstreamHttpException} when the provider answers with an error.
   * When {@code clientGone} completes first, the upstream request is abandoned.
   */
  Future<JsonObject> complete(JsonObject request, Future<Void> clientGone);

  /** A streamed completion: succeeds once the provider accepted the request and its chunks can be read. */
  Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone);
}
