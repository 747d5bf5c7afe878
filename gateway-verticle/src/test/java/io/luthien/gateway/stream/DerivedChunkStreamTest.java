package io.luthien.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one chunk-stream plumbing: a step per item, one end or failure, cancellation once. */
@ExtendWith(VertxExtension.class)
class DerivedChunkStreamTest {

  private static JsonObject chunk(int n) {
    return new JsonObject().put("n", n);
  }

  /** Doubles each chunk, and ends the stream early on a chunk with {@code "stop": true}. */
  private static final class Doubling implements DerivedChunkStream.Step<JsonObject> {
    final AtomicInteger cancels = new AtomicInteger();

    @Override
    public void item(JsonObject item, DerivedChunkStream.Output out) {
      if (item.getBoolean("stop", false)) {
        out.end();
        return;
      }
      out.chunk(item);
      out.chunk(item.copy().put("copy", true));
    }

    @Override
    public void cancel() {
      cancels.incrementAndGet();
    }
  }

  @Test
  @DisplayName(
      "each item becomes the step's chunks, and an early end drops what the source sends after it")
  void stepAndEarlyEnd(Vertx vertx) throws Exception {
    ListChunkStream source =
        new ListChunkStream(
            vertx.getOrCreateContext(),
            List.of(chunk(1), new JsonObject().put("stop", true), chunk(2)));
    Doubling step = new Doubling();
    ChunkStream derived = new DerivedChunkStream<>(source, step);
    List<JsonObject> seen = new ArrayList<>();
    AtomicInteger ends = new AtomicInteger();

    CompletableFuture<Void> ended = new CompletableFuture<>();
    derived
        .handler(seen::add)
        .endHandler(
            v -> {
              ends.incrementAndGet();
              ended.complete(null);
            });
    derived.resume();
    ended.get(5, TimeUnit.SECONDS);
    Thread.sleep(50);

    assertThat(seen).containsExactly(chunk(1), chunk(1).put("copy", true));
    assertThat(ends).hasValue(1);
    derived.cancel();
    assertThat(step.cancels).as("a finished stream has nothing left to cancel").hasValue(0);
  }

  @Test
  @DisplayName("a cancel reaches the step once, and nothing reaches the reader afterwards")
  void cancelOnce(Vertx vertx) throws Exception {
    ListChunkStream source =
        new ListChunkStream(vertx.getOrCreateContext(), List.of(chunk(1), chunk(2)));
    Doubling step = new Doubling();
    ChunkStream derived = new DerivedChunkStream<>(source, step);
    List<JsonObject> seen = new ArrayList<>();
    derived.handler(seen::add);

    derived.cancel();
    derived.cancel();
    derived.resume();
    Thread.sleep(100);

    assertThat(step.cancels).hasValue(1);
    assertThat(seen).isEmpty();
  }
}
