package io.luthien.gateway.upstream;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.canonical.Requests;
import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.ListChunkStream;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The built-in provider for models named {@code mock*}: answers with the last user message, word
 * for word, streamed one word per chunk. No key and no network, so the embedded default works
 * anywhere.
 */
final class MockProvider implements ChatProvider {

  private final Vertx vertx;

  MockProvider(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<JsonObject> complete(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    String echo = Requests.lastUserText(request);
    JsonObject completion =
        Completions.completion(
            completionId(),
            now(),
            request.getString("model"),
            Completions.choice(0, Messages.assistant(echo), "stop"));
    return Future.succeededFuture(
        completion.put(Canonical.USAGE, MockConversation.usage(request, echo).toJson()));
  }

  @Override
  public Future<ChunkStream> stream(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    String echo = Requests.lastUserText(request);
    String id = completionId();
    long created = now();
    String model = request.getString("model");
    List<JsonObject> chunks = new ArrayList<>();
    JsonObject opening =
        new JsonObject().put(Canonical.ROLE, Canonical.ROLE_ASSISTANT).put(Canonical.CONTENT, "");
    chunks.add(Chunks.chunk(id, created, model, opening, null));
    for (String word : MockConversation.words(echo)) {
      chunks.add(
          Chunks.chunk(id, created, model, new JsonObject().put(Canonical.CONTENT, word), null));
    }
    chunks.add(Chunks.chunk(id, created, model, new JsonObject(), "stop"));
    JsonObject streamOptions = request.getJsonObject("stream_options");
    if (streamOptions != null && streamOptions.getBoolean("include_usage", false)) {
      chunks.add(Chunks.usageChunk(id, created, model, MockConversation.usage(request, echo)));
    }
    return Future.succeededFuture(new ListChunkStream(vertx.getOrCreateContext(), chunks));
  }

  private static String completionId() {
    return "chatcmpl-mock-" + UUID.randomUUID();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
