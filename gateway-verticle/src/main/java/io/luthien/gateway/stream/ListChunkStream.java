package io.luthien.gateway.stream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * A stream of chunks already in memory, delivered on the caller's context with back-pressure.
 * Starts paused.
 */
public final class ListChunkStream implements ChunkStream {

  private final Context context;
  private final Queue<JsonObject> remaining;
  private Handler<JsonObject> handler = chunk -> {};
  private Handler<Void> endHandler = v -> {};
  private boolean paused = true;
  private boolean scheduled;
  private boolean finished;

  public ListChunkStream(Context context, List<JsonObject> chunks) {
    this.context = context;
    this.remaining = new ArrayDeque<>(chunks);
  }

  @Override
  public ChunkStream handler(Handler<JsonObject> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ChunkStream endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public ChunkStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ChunkStream pause() {
    paused = true;
    return this;
  }

  @Override
  public ChunkStream resume() {
    paused = false;
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> drain());
    }
    return this;
  }

  /** In memory, demand is not counted: any fetch lets every remaining chunk flow. */
  @Override
  public ChunkStream fetch(long amount) {
    return amount > 0 ? resume() : this;
  }

  @Override
  public void cancel() {
    finished = true;
    remaining.clear();
  }

  private void drain() {
    scheduled = false;
    while (!paused && !finished && !remaining.isEmpty()) {
      handler.handle(remaining.poll());
    }
    if (!finished && remaining.isEmpty()) {
      finished = true;
      endHandler.handle(null);
    }
  }
}
