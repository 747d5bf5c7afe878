package io.luthien.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;

/**
 * The chunks of an upstream SSE response. It starts paused, so no chunk is lost before the caller wired its
 * handlers; {@link #resume()} starts the flow. {@code [DONE]} ends the stream at once.
 */
final class HttpChunkStream implements ChunkStream {

  private static final String DONE = "[DONE]";

  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final SseParser parser = new SseParser(this::event);
  private Handler<JsonObject> handler = chunk -> { };
  private Handler<Void> endHandler = v -> { };
  private Handler<Throwable> exceptionHandler = e -> { };
  private boolean finished;

  HttpChunkStream(HttpClientRequest request, HttpClientResponse response) {
    this.request = request;
    this.response = response;
    response.pause();
    response.handler(parser);
    response.endHandler(v -> {
      parser.finish();
      end();
    });
    response.exceptionHandler(this::fail);
    request.exceptionHandler(this::fail);
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
    response.pause();
  }

  @Override
  public void resume() {
    response.resume();
  }

  @Override
  public void cancel() {
    if (!finished) {
      finished = true;
      request.reset();
    }
  }

  private void event(String data) {
    if (finished) {
      return;
    }
    if (DONE.equals(data.trim())) {
      end();
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (RuntimeException e) {
      fail(new UpstreamHttpException(502, "upstream_error", "upstream_invalid_chunk",
          "the upstream provider sent a stream chunk that is not a JSON object"));
      request.reset();
      return;
    }
    handler.handle(chunk);
  }

  private void end() {
    if (!finished) {
      finished = true;
      endHandler.handle(null);
    }
  }

  private void fail(Throwable error) {
    if (!finished) {
      finished = true;
      exceptionHandler.handle(error);
    }
  }
}
