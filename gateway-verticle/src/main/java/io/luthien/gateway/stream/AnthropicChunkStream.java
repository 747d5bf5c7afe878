package io.luthien.gateway.stream;

import io.luthien.gateway.translate.AnthropicStreamDecoder;
import io.luthien.gateway.translate.StreamError;
import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An Anthropic event stream read as canonical chunks: each event's data goes through an {@link
 * AnthropicStreamDecoder}. An {@code error} event, or an event the decoder cannot read, fails the
 * stream.
 */
public final class AnthropicChunkStream implements DerivedChunkStream.Step<JsonObject> {

  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
  private final ChunkStream events;

  private AnthropicChunkStream(ChunkStream events) {
    this.events = events;
  }

  public static ChunkStream of(ChunkStream events) {
    return new DerivedChunkStream<>(events, new AnthropicChunkStream(events));
  }

  @Override
  public void item(JsonObject event, DerivedChunkStream.Output out) {
    List<JsonObject> chunks;
    try {
      chunks = decoder.onEvent(event);
    } catch (StreamError error) {
      fail(out, new UpstreamHttpException(502, error.type(), null, error.getMessage()));
      return;
    } catch (RuntimeException e) {
      fail(
          out,
          UpstreamHttpException.unreadable(
              "upstream_invalid_chunk",
              "the Anthropic provider sent a stream event the gateway cannot read: "
                  + e.getMessage()));
      return;
    }
    chunks.forEach(out::chunk);
  }

  @Override
  public void cancel() {
    events.cancel();
  }

  private void fail(DerivedChunkStream.Output out, Throwable error) {
    events.cancel();
    out.fail(error);
  }
}
