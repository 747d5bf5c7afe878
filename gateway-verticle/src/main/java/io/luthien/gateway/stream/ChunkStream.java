package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * The canonical chunks of one streamed completion, as they arrive: a Vert.x {@link ReadStream}
 * (back-pressure through pause/resume/fetch; the end handler runs once when the provider finished,
 * the exception handler once when the stream broke) that can also be abandoned.
 */
public interface ChunkStream extends ReadStream<JsonObject> {

  @Override
  ChunkStream handler(Handler<JsonObject> handler);

  @Override
  ChunkStream endHandler(Handler<Void> handler);

  @Override
  ChunkStream exceptionHandler(Handler<Throwable> handler);

  @Override
  ChunkStream pause();

  @Override
  ChunkStream resume();

  @Override
  ChunkStream fetch(long amount);

  /** Abandons the stream and closes the upstream request, e.g. when the client went away. */
  void cancel();
}
