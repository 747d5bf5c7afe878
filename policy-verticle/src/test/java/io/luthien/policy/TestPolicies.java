package io.luthien.policy;

import io.luthien.canonical.Chunks;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.RequestDecision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Policies that exist to exercise the policy verticle's contract. */
final class TestPolicies {

  private TestPolicies() {}

  /** Throws from a request that says "boom", and from every chunk. */
  public static final class Throwing implements Policy {
    @Override
    public Future<RequestDecision> onRequest(JsonObject request, PolicyContext context) {
      if (io.luthien.canonical.Requests.lastUserText(request).equals("boom")) {
        throw new IllegalStateException("boom on request");
      }
      return Future.succeededFuture(RequestDecision.allow(request));
    }

    @Override
    public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
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
    public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
      Held held = context.state(Held.class, Held::new);
      held.texts.add(Chunks.textDelta(chunk));
      Future<ChunkVerdict> nothing = Future.succeededFuture(ChunkVerdict.hold());
      return held.texts.size() % 2 == 0
          ? Vertx.currentContext().owner().timer(30, TimeUnit.MILLISECONDS).compose(v -> nothing)
          : nothing;
    }

    @Override
    public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
      Held held = context.state(Held.class, Held::new);
      return Future.succeededFuture(
          List.of(new JsonObject().put("joined", String.join("|", held.texts))));
    }

    private static final class Held {
      private final List<String> texts = new java.util.ArrayList<>();
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
    public Future<ChunkVerdict> onChunk(JsonObject chunk, PolicyContext context) {
      int seen = ++context.state(Seen.class, Seen::new).chunks;
      context.emit(
          "chunk_seen",
          new JsonObject().put("index", seen - 1).put("text", Chunks.textDelta(chunk)));
      return Future.succeededFuture(ChunkVerdict.pass());
    }

    @Override
    public Future<List<JsonObject>> onStreamEnd(PolicyContext context) {
      context.emit(
          "stream_done",
          new JsonObject().put("chunks", context.state(Seen.class, Seen::new).chunks));
      return Future.succeededFuture(List.of());
    }

    private static final class Seen {
      private int chunks;
    }
  }

  /** Has no usable constructor. */
  public static final class Unbuildable implements Policy {
    public Unbuildable(String unused) {}
  }

  /** Passes everything through; remembers whether it was closed. */
  public static final class Closable implements Policy {
    volatile boolean closed;

    public Closable(JsonObject config) {}

    @Override
    public void close() {
      closed = true;
    }
  }
}
