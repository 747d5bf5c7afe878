package io.luthien.gateway.stream;

import io.luthien.gateway.translate.AnthropicStreamDecoder;
import io.luthien.gateway.translate.StreamError;
import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An Anthropic event stream read as canonical chunks: each event's data goes through an {@link
 * AnthropicStreamDecoder}. An {@code error} event, or an event the decoder cannot read, fails the
 * stream; so does an end before {@code message_stop}.
 */
public final class AnthropicChunkStream implements DerivedChunkStream.Step<JsonObject> {

  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
  private final ChunkStream events;
  private boolean stopped;

  private AnthropicChunkStream(ChunkStream events) {
    this.events = events;
  }

  public static ChunkStream of(ChunkStream events) {
    return new DerivedChunkStream<>(events, new AnthropicChunkStream(events));
  }

  @Override
  public void item(JsonObject event, DerivedChunkStream.Output out) {
    stopped |= "message_stop".equals(event.getValue("type"));
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
  public void sourceEnded(DerivedChunkStream.Output out) {
    if (!stopped) {
      fail(
          out,
          UpstreamHttpException.unreadable(
              "upstream_stream_truncated",
              "the Anthropic provider's stream ended before it was complete (no message_stop)"));
      return;
    }
    out.end();
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
