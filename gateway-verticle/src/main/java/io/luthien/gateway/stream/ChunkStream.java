package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/** The chunks of one streamed completion, as they arrive, with back-pressure and cancellation. */
public interface ChunkStream {

  ChunkStream handler(Handler<JsonObject> handler);

  /** Called once when the provider finished the stream ({@code [DONE]} or end of body). */
  ChunkStream endHandler(Handler<Void> handler);

  /** Called once when the stream broke (connection lost, timeout, unreadable chunk). */
  ChunkStream exceptionHandler(Handler<Throwable> handler);

  void pause();

  void resume();

  /** Abandons the stream and closes the upstream request, e.g. when the client went away. */
  void cancel();
}
