package io.luthien.policy;

import io.luthien.canonical.Chunks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Policies that exist to exercise the policy verticle's contract. */
final class TestPolicies {

  private TestPolicies() {}

  /** Throws from every hook. */
  public static final class Throwing implements Policy {
    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      throw new IllegalStateException("boom on request");
    }

    @Override
    public Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
      return Future.failedFuture(new IllegalStateException("boom on chunk"));
    }
  }

  /** Blocks requests that mention the configured word; emits an event either way. */
  public static final class Blocking implements Policy {
    private final String word;

    public Blocking(JsonObject config) {
      this.word = config.getString("word", "secret");
    }

    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      boolean mentions = request.encode().contains(word);
      context.emit("checked", new JsonObject().put("word", word).put("found", mentions));
      return Future.succeededFuture(
          mentions
              ? RequestDecision.block(403, "requests about '" + word + "' are blocked")
              : RequestDecision.allow(request));
    }
  }

  /**
   * Answers every other chunk late, and holds back the text of all chunks until the stream ends.
   */
  public static final class SlowBuffering implements Policy {
    @Override
    public Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
      @SuppressWarnings("unchecked")
      List<String> held =
          (List<String>)
              context
                  .scratchpad()
                  .computeIfAbsent("held", key -> new java.util.ArrayList<String>());
      held.add(Chunks.textDelta(chunk));
      Future<List<JsonObject>> nothing = Future.succeededFuture(List.of());
      return held.size() % 2 == 0
          ? Vertx.currentContext().owner().timer(30, TimeUnit.MILLISECONDS).compose(v -> nothing)
          : nothing;
    }

    @Override
    public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
      @SuppressWarnings("unchecked")
      List<String> held = (List<String>) context.scratchpad().get("held");
      return Future.succeededFuture(
          List.of(new JsonObject().put("joined", String.join("|", held))));
    }
  }

  /** Emits an event from every hook and passes everything through; counts the chunks it saw. */
  public static final class Emitting implements Policy {
    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      context.emit(
          "inspected",
          new JsonObject()
              .put("hook", "request")
              .put("messages", 1)
              .put("nested", new JsonObject().put("ignored", true)));
      return Future.succeededFuture(RequestDecision.allow(request));
    }

    @Override
    public Future<List<JsonObject>> onChunk(JsonObject chunk, PolicyContext context) {
      int seen =
          (Integer) context.scratchpad().merge("seen", 1, (a, b) -> (Integer) a + (Integer) b);
      context.emit(
          "chunk_seen",
          new JsonObject().put("index", seen - 1).put("text", Chunks.textDelta(chunk)));
      return Future.succeededFuture(List.of(chunk));
    }

    @Override
    public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
      context.emit(
          "stream_done",
          new JsonObject().put("chunks", context.scratchpad().getOrDefault("seen", 0)));
      return Future.succeededFuture(List.of());
    }
  }

  /** Has no usable constructor. */
  public static final class Unbuildable implements Policy {
    public Unbuildable(String unused) {}
  }
}
