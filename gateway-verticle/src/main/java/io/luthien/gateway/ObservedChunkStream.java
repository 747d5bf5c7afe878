package io.luthien.gateway;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * An upstream chunk stream that shows each chunk, its end, failure or cancellation to its {@code llm.completion}
 * span, whatever handlers the reader sets.
 */
final class ObservedChunkStream implements ChunkStream {

  private final ChunkStream upstream;
  private final LlmCompletionSpan span;
  private Handler<JsonObject> handler = chunk -> { };
  private Handler<Void> endHandler = v -> { };
  private Handler<Throwable> exceptionHandler = failure -> { };

  ObservedChunkStream(ChunkStream upstream, LlmCompletionSpan span) {
    this.upstream = upstream;
    this.span = span;
    upstream.handler(chunk -> {
      span.chunk(chunk);
      handler.handle(chunk);
    });
    upstream.endHandler(v -> {
      span.streamEnded();
      endHandler.handle(v);
    });
    upstream.exceptionHandler(failure -> {
      span.failed(failure);
      exceptionHandler.handle(failure);
    });
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
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public void pause() {
    upstream.pause();
  }

  @Override
  public void resume() {
    upstream.resume();
  }

  /** After the end or a failure the span is already over and ignores this. */
  @Override
  public void cancel() {
    span.cancelled();
    upstream.cancel();
  }
}
