package io.luthien.gateway;

import io.luthien.gateway.anthropic.AnthropicStreamDecoder;
import io.luthien.gateway.anthropic.StreamError;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An Anthropic event stream read as canonical chunks: each event's data goes through an
 * {@link AnthropicStreamDecoder}. An {@code error} event, or an event the decoder cannot read, fails the stream.
 */
final class AnthropicChunkStream extends ForwardingChunkStream {

  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
  private boolean failed;

  AnthropicChunkStream(ChunkStream events) {
    super(events);
    events.handler(this::event);
    events.endHandler(v -> endHandler.handle(null));
    events.exceptionHandler(error -> exceptionHandler.handle(error));
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
    upstream.cancel();
    exceptionHandler.handle(error);
  }
}
