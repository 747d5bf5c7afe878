package io.luthien.gateway.stream;

import io.luthien.gateway.translate.StreamError;
import io.luthien.gateway.translate.responses.ResponsesEventDecoder;
import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/**
 * A Responses API backend's event stream read as canonical chunks ({@link ResponsesEventDecoder}).
 * For a client of another API, events with nothing canonical to say are left out; for a Responses
 * client whose answer passes through, every event becomes one chunk, and the event itself goes to
 * {@code passedThrough} with it, in order, so the client's writer can give each policy answer its
 * event. An {@code error} event, {@code response.failed} or an event the decoder cannot read fails
 * the stream; so does an end before {@code response.completed} (or {@code .incomplete}).
 */
public final class ResponsesChunkStream implements DerivedChunkStream.Step<JsonObject> {

  private final ResponsesEventDecoder decoder = new ResponsesEventDecoder();
  private final ChunkStream events;
  private final BiConsumer<JsonObject, JsonObject> passedThrough;

  private ResponsesChunkStream(
      ChunkStream events, BiConsumer<JsonObject, JsonObject> passedThrough) {
    this.events = events;
    this.passedThrough = passedThrough;
  }

  /** Only the chunks that say something. */
  public static ChunkStream canonical(ChunkStream events) {
    return new DerivedChunkStream<>(events, new ResponsesChunkStream(events, null));
  }

  /** One chunk per event; {@code passedThrough} gets each (event, chunk) as the chunk goes out. */
  public static ChunkStream passingThrough(
      ChunkStream events, BiConsumer<JsonObject, JsonObject> passedThrough) {
    return new DerivedChunkStream<>(events, new ResponsesChunkStream(events, passedThrough));
  }

  @Override
  public void item(JsonObject event, DerivedChunkStream.Output out) {
    JsonObject chunk;
    try {
      chunk = decoder.onEvent(event);
    } catch (StreamError error) {
      fail(out, new UpstreamHttpException(502, "upstream_error", error.type(), error.getMessage()));
      return;
    } catch (RuntimeException e) {
      fail(
          out,
          UpstreamHttpException.unreadable(
              "upstream_invalid_chunk",
              "the Responses API provider sent a stream event the gateway cannot read: "
                  + e.getMessage()));
      return;
    }
    if (passedThrough != null) {
      passedThrough.accept(event, chunk);
      out.chunk(chunk);
    } else if (!ResponsesEventDecoder.isEmpty(chunk)) {
      out.chunk(chunk);
    }
  }

  @Override
  public void sourceEnded(DerivedChunkStream.Output out) {
    if (!decoder.ended()) {
      fail(
          out,
          UpstreamHttpException.unreadable(
              "upstream_stream_truncated",
              "the Responses API provider's stream ended before it was complete (no"
                  + " response.completed)"));
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
