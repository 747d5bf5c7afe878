package io.luthien.gateway.stream;

import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;

/**
 * The chunks of an upstream SSE response. The stream starts paused, so no chunk is lost before the
 * caller wired its handlers; {@code resume()} starts the flow. {@code [DONE]} ends the stream at
 * once. A stream that stays silent for the idle timeout fails with a {@link TimeoutException}: the
 * client's request idle timeout only guards the wait for the response head, and a provider can
 * stall between chunks. Bytes that are not SSE, an event over the size bound, data that is not
 * JSON, or a body that ends without any event fail the stream with a 502 and reset the request; so
 * does a body that ends before the stream said it was complete ({@link Completion}).
 */
public final class HttpChunkStream implements DerivedChunkStream.Step<Buffer> {

  /** What tells a complete stream from one cut off by a clean end of the body. */
  public enum Completion {
    /**
     * OpenAI's {@code data: [DONE]}; servers that omit it count as complete once a chunk gave a
     * {@code finish_reason}.
     */
    OPENAI_DONE,
    /** Any end of the body: the step that decodes the events checks the format's own last one. */
    BODY_END
  }

  private static final String DONE = "[DONE]";

  private final Vertx vertx;
  private final HttpClientRequest request;
  private final long idleTimeoutMillis;
  private final SseParser parser;
  private final Completion completion;
  private DerivedChunkStream.Output out;
  private boolean sawEvent;
  private boolean sawFinishReason;
  private long lastDataNanos = System.nanoTime();

  private HttpChunkStream(
      Vertx vertx,
      HttpClientRequest request,
      long idleTimeoutMillis,
      long maxEventBytes,
      Completion completion) {
    this.vertx = vertx;
    this.completion = completion;
    this.parser = new SseParser(maxEventBytes, this::event);
    this.request = request;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  public static ChunkStream open(
      Vertx vertx,
      HttpClientRequest request,
      HttpClientResponse response,
      long idleTimeoutMillis,
      long maxEventBytes,
      Completion completion) {
    response.pause();
    HttpChunkStream step =
        new HttpChunkStream(vertx, request, idleTimeoutMillis, maxEventBytes, completion);
    DerivedChunkStream<Buffer> stream = new DerivedChunkStream<>(response, step);
    step.out = stream.output();
    step.watchIdle(idleTimeoutMillis);
    return stream;
  }

  /** The idle time counts from when the reader is ready, not from when the stream was opened. */
  @Override
  public void resumed() {
    lastDataNanos = System.nanoTime();
  }

  @Override
  public void item(Buffer buffer, DerivedChunkStream.Output out) {
    lastDataNanos = System.nanoTime();
    try {
      parser.handle(buffer);
    } catch (SseParser.InvalidStreamException invalid) {
      invalid(invalid);
    }
  }

  @Override
  public void sourceEnded(DerivedChunkStream.Output out) {
    try {
      parser.finish();
    } catch (SseParser.InvalidStreamException invalid) {
      invalid(invalid);
      return;
    }
    if (!sawEvent) {
      fail("upstream_invalid_response", "the upstream provider's stream ended without any event");
      return;
    }
    if (completion == Completion.OPENAI_DONE && !sawFinishReason) {
      fail(
          "upstream_stream_truncated",
          "the upstream provider's stream ended before it was complete (no [DONE] and no"
              + " finish_reason)");
      return;
    }
    out.end();
  }

  @Override
  public void cancel() {
    request.reset();
  }

  /**
   * One timer per quiet period rather than one per chunk: it re-arms itself while data keeps
   * coming.
   */
  private void watchIdle(long delayMillis) {
    vertx.setTimer(
        Math.max(1, delayMillis),
        id -> {
          if (out.finished()) {
            return;
          }
          long quietMillis = (System.nanoTime() - lastDataNanos) / 1_000_000;
          if (quietMillis >= idleTimeoutMillis) {
            out.fail(
                new TimeoutException(
                    "no stream data from the upstream provider for " + quietMillis + " ms"));
            request.reset();
          } else {
            watchIdle(idleTimeoutMillis - quietMillis);
          }
        });
  }

  private void invalid(SseParser.InvalidStreamException invalid) {
    fail(
        invalid.tooLarge() ? "upstream_event_too_large" : "upstream_invalid_response",
        invalid.getMessage());
  }

  private void fail(String code, String message) {
    if (!out.finished()) {
      out.fail(UpstreamHttpException.unreadable(code, message));
      request.reset();
    }
  }

  private void event(String data) {
    if (out.finished()) {
      return;
    }
    sawEvent = true;
    if (DONE.equals(data.trim())) {
      out.end();
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (RuntimeException e) {
      fail(
          "upstream_invalid_chunk",
          "the upstream provider sent a stream chunk that is not a JSON object");
      return;
    }
    sawFinishReason |= hasFinishReason(chunk);
    out.chunk(chunk);
  }

  private static boolean hasFinishReason(JsonObject chunk) {
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) {
      return false;
    }
    for (Object choice : choices) {
      if (choice instanceof JsonObject json && json.getValue("finish_reason") instanceof String) {
        return true;
      }
    }
    return false;
  }
}
