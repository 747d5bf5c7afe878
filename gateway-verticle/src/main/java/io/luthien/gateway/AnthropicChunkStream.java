package io.luthien.gateway;

import io.luthien.gateway.anthropic.AnthropicStreamDecoder;
import io.luthien.gateway.anthropic.StreamError;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An Anthropic event stream read as canonical chunks: each event's data goes through an
 * {@link AnthropicStreamDecoder}. An {@code error} event, or an event the decoder cannot read, fails the stream.
 */
final class AnthropicChunkStream implements ChunkStream {

  private final HttpChunkStream events;
  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
  private Handler<JsonObject> handler = chunk -> { };
  private Handler<Throwable> exceptionHandler = e -> { };
  private boolean failed;

  AnthropicChunkStream(HttpChunkStream events) {
    this.events = events;
    events.handler(this::event);
    events.exceptionHandler(error -> exceptionHandler.handle(error));
  }

  @Override
  public ChunkStream handler(Handler<JsonObject> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ChunkStream endHandler(Handler<Void> handler) {
    events.endHandler(handler);
    return this;
  }

  @Override
  public ChunkStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public void pause() {
    events.pause();
  }

  @Override
  public void resume() {
    events.resume();
  }

  @Override
  public void cancel() {
    events.cancel();
  }

  private void event(JsonObject event) {
    if (failed) {
      return;
    }
    List<JsonObject> chunks;
    try {
      chunks = decoder.onEvent(event);
    } catch (StreamError error) {
      fail(new UpstreamHttpException(502, error.type(), null, error.getMessage()));
      return;
    } catch (RuntimeException e) {
      fail(UpstreamHttpException.unreadable("upstream_invalid_chunk",
          "the Anthropic provider sent a stream event the gateway cannot read: " + e.getMessage()));
      return;
    }
    chunks.forEach(handler::handle);
  }

  private void fail(Throwable error) {
    failed = true;
    events.cancel();
    exceptionHandler.handle(error);
  }
}
