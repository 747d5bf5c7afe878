package io.luthien.gateway.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A chunk stream handed over only once its first chunk is in, or once it ended: a provider that
 * answers 200 and then breaks before any event fails the call while the client can still get an
 * HTTP error, not an empty stream. What arrives while nobody reads is held and delivered first on
 * resume; a failure after the first chunk waits behind the held chunks. Starts paused.
 */
public final class PrimedChunkStream implements ChunkStream {

  private final ChunkStream source;
  private final Promise<ChunkStream> primed = Promise.promise();
  private final Queue<JsonObject> held = new ArrayDeque<>();
  private Handler<JsonObject> handler = chunk -> {};
  private Handler<Void> endHandler = v -> {};
  private Handler<Throwable> exceptionHandler = failure -> {};
  private boolean paused = true;
  private boolean sourceEnded;
  private Throwable sourceFailure;
  private boolean finished;

  private PrimedChunkStream(ChunkStream source) {
    this.source = source;
  }

  /**
   * Reads {@code source} until its first chunk; fails when it fails before that, or when {@code
   * clientGone} completes first (then the source is cancelled).
   */
  public static Future<ChunkStream> of(ChunkStream source, Future<Void> clientGone) {
    PrimedChunkStream stream = new PrimedChunkStream(source);
    clientGone.onComplete(
        gone -> {
          if (!stream.primed.future().isComplete()) {
            stream.cancel();
          }
        });
    source
        .handler(stream::chunk)
        .endHandler(v -> stream.ended())
        .exceptionHandler(stream::failed)
        .resume();
    return stream.primed.future();
  }

  @Override
  public ChunkStream handler(Handler<JsonObject> handler) {
    this.handler = handler == null ? chunk -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream endHandler(Handler<Void> handler) {
    this.endHandler = handler == null ? v -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler == null ? failure -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream pause() {
    paused = true;
    source.pause();
    return this;
  }

  @Override
  public ChunkStream resume() {
    paused = false;
    drain();
    if (!paused && !finished) {
      source.resume();
    }
    return this;
  }

  /** Demand is not counted for the held chunks: a fetch delivers them all, then asks the source. */
  @Override
  public ChunkStream fetch(long amount) {
    if (amount <= 0) {
      return this;
    }
    paused = false;
    drain();
    if (!finished) {
      source.fetch(amount);
    }
    return this;
  }

  /** Before the hand-over (the client went away), the call fails; after it, the source closes. */
  @Override
  public void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    held.clear();
    source.cancel();
    primed.tryFail(new IllegalStateException("the stream was cancelled before its first chunk"));
  }

  private void chunk(JsonObject chunk) {
    if (finished) {
      return;
    }
    if (!primed.future().isComplete()) {
      source.pause();
      held.add(chunk);
      primed.complete(this);
    } else if (paused || !held.isEmpty()) {
      held.add(chunk);
    } else {
      handler.handle(chunk);
    }
  }

  private void ended() {
    sourceEnded = true;
    primed.tryComplete(this);
    drain();
  }

  private void failed(Throwable failure) {
    if (!primed.future().isComplete()) {
      finished = true;
      primed.fail(failure);
      return;
    }
    sourceFailure = failure;
    drain();
  }

  private void drain() {
    while (!paused && !finished && !held.isEmpty()) {
      handler.handle(held.poll());
    }
    if (paused || finished || !held.isEmpty()) {
      return;
    }
    if (sourceFailure != null) {
      finished = true;
      exceptionHandler.handle(sourceFailure);
    } else if (sourceEnded) {
      finished = true;
      endHandler.handle(null);
    }
  }
}
