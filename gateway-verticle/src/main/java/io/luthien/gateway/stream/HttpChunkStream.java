package io.luthien.gateway.stream;

import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;

/**
 * The chunks of an upstream SSE response. It starts paused, so no chunk is lost before the caller wired its
 * handlers; {@link #resume()} starts the flow. {@code [DONE]} ends the stream at once. A stream that stays
 * silent for the idle timeout fails with a {@link TimeoutException}: the client's request idle timeout only
 * guards the wait for the response head, and a provider can stall between chunks.
 */
public final class HttpChunkStream implements ChunkStream {

  private static final String DONE = "[DONE]";

  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final SseParser parser = new SseParser(this::event);
  private final Vertx vertx;
  private final long idleTimeoutMillis;
  private long lastDataNanos = System.nanoTime();
  private Handler<JsonObject> handler = chunk -> { };
  private Handler<Void> endHandler = v -> { };
  private Handler<Throwable> exceptionHandler = e -> { };
  private boolean finished;

  public HttpChunkStream(Vertx vertx, HttpClientRequest request, HttpClientResponse response, long idleTimeoutMillis) {
    this.vertx = vertx;
    this.request = request;
    this.response = response;
    this.idleTimeoutMillis = idleTimeoutMillis;
    response.pause();
    response.handler(this::data);
    response.endHandler(v -> {
      parser.finish();
      end();
    });
    response.exceptionHandler(this::fail);
    watchIdle(idleTimeoutMillis);
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
    lastDataNanos = System.nanoTime();
    response.resume();
  }

  @Override
  public void cancel() {
    if (!finished) {
      finished = true;
      request.reset();
    }
  }

  private void data(Buffer buffer) {
    lastDataNanos = System.nanoTime();
    parser.handle(buffer);
  }

  /** One timer per quiet period rather than one per chunk: it re-arms itself while data keeps coming. */
  private void watchIdle(long delayMillis) {
    vertx.setTimer(Math.max(1, delayMillis), id -> {
      if (finished) {
        return;
      }
      long quietMillis = (System.nanoTime() - lastDataNanos) / 1_000_000;
      if (quietMillis >= idleTimeoutMillis) {
        fail(new TimeoutException("no stream data from the upstream provider for " + quietMillis + " ms"));
        request.reset();
      } else {
        watchIdle(idleTimeoutMillis - quietMillis);
      }
    });
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
      fail(UpstreamHttpException.unreadable("upstream_invalid_chunk",
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
