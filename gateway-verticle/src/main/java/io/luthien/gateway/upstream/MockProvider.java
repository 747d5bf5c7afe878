package io.luthien.gateway.upstream;

import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.ListChunkStream;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The built-in provider for models named {@code mock*}: answers with the last user message, word for word,
 * streamed one word per chunk. No key and no network, so the embedded default works anywhere.
 */
final class MockProvider implements ChatProvider {

  private final Vertx vertx;

  MockProvider(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<JsonObject> complete(JsonObject request, Future<Void> clientGone, Context trace) {
    String echo = ChatText.lastUserText(request);
    return Future.succeededFuture(new JsonObject()
        .put("id", completionId())
        .put("object", "chat.completion")
        .put("created", now())
        .put("model", request.getString("model"))
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", echo))
            .put("logprobs", null)
            .put("finish_reason", "stop")))
        .put("usage", MockConversation.usage(request, echo)));
  }

  @Override
  public Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone, Context trace) {
    String echo = ChatText.lastUserText(request);
    String id = completionId();
    long created = now();
    String model = request.getString("model");
    List<JsonObject> chunks = new ArrayList<>();
    chunks.add(chunk(id, created, model, new JsonObject().put("role", "assistant").put("content", ""), null));
    for (String word : MockConversation.words(echo)) {
      chunks.add(chunk(id, created, model, new JsonObject().put("content", word), null));
    }
    chunks.add(chunk(id, created, model, new JsonObject(), "stop"));
    JsonObject streamOptions = request.getJsonObject("stream_options");
    if (streamOptions != null && streamOptions.getBoolean("include_usage", false)) {
      chunks.add(new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
          .put("model", model).put("choices", new JsonArray()).put("usage", MockConversation.usage(request, echo)));
    }
    return Future.succeededFuture(new ListChunkStream(vertx.getOrCreateContext(), chunks));
  }

  private static JsonObject chunk(String id, long created, String model, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("delta", delta)
            .put("logprobs", null)
            .put("finish_reason", finishReason)));
  }

  private static String completionId() {
    return "chatcmpl-mock-" + UUID.randomUUID();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
