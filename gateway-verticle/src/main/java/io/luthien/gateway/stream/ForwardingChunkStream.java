package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * A chunk stream read through another one: flow control and cancellation go to the upstream; the subclass wires
 * the upstream's chunks, end and failure to the reader's handlers, seeing or changing them on the way.
 */
abstract class ForwardingChunkStream implements ChunkStream {

  protected final ChunkStream upstream;
  protected Handler<JsonObject> handler = chunk -> { };
  protected Handler<Void> endHandler = v -> { };
  protected Handler<Throwable> exceptionHandler = failure -> { };

  ForwardingChunkStream(ChunkStream upstream) {
    this.upstream = upstream;
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

  @Override
  public void cancel() {
    upstream.cancel();
  }
}
