package io.luthien.gateway.stream;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.ApiErrors;
import io.luthien.gateway.policy.PolicyStream;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.telemetry.StreamMeter;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one streamed completion from the upstream, chunk by chunk through the policy, to the
 * client as SSE in the format it speaks. Chunks are sent to the policy as they arrive (pipelined,
 * not one round trip at a time) and written in their order, each flushed on its own. The upstream
 * is paused while the client or the policy falls behind, and cancelled when the client goes away.
 * The stream counts as active from {@link #start()} until it finishes, however it finishes.
 */
public final class StreamRelay {

  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
  private static final int MAX_CHUNKS_AT_POLICY = 64;
  private final String callId;
  private final HttpServerResponse response;
  private final ClientStream format;
  private final ChunkStream upstream;
  private final PolicyStream policy;
  private final CallRecord record;
  private final StreamMeter meter;
  private Future<Void> written = Future.succeededFuture();
  private int chunksAtPolicy;
  private boolean upstreamPaused;
  private boolean finished;
  private boolean endingByPolicy;

  public StreamRelay(
      String callId,
      HttpServerResponse response,
      ClientStream format,
      ChunkStream upstream,
      PolicyStream policy,
      CallRecord record,
      StreamMeter meter) {
    this.callId = callId;
    this.response = response;
    this.format = format;
    this.upstream = upstream;
    this.policy = policy;
    this.record = record;
    this.meter = meter;
  }

  public void start() {
    meter.started();
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> clientGone());
    if (response.closed()) {
      // the client left while the policy session was opening: its close event is already past
      clientGone();
      return;
    }
    response.drainHandler(v -> updateFlow());
    upstream.handler(this::relay).endHandler(v -> finish()).exceptionHandler(this::upstreamFailed);
    response.writeHead();
    upstream.resume();
  }

  private void relay(JsonObject chunk) {
    if (finished) {
      return;
    }
    chunksAtPolicy++;
    updateFlow();
    record.originalChunk(chunk);
    Future<PolicyStreamReply> reply = policy.chunk(chunk);
    written =
        written
            .compose(v -> reply)
            .compose(answer -> write(answer, true))
            .onComplete(
                done -> {
                  chunksAtPolicy--;
                  updateFlow();
                });
    written.onFailure(this::abort);
  }

  private void finish() {
    if (endingByPolicy) {
      return;
    }
    written =
        written.compose(
            v ->
                finished
                    ? Future.succeededFuture()
                    : policy
                        .close()
                        .compose(answer -> write(answer, false))
                        .compose(written -> finished ? Future.succeededFuture() : endStream()));
    written.onFailure(this::abort);
  }

  /** The client's well-formed end (OpenAI: {@code [DONE]}; Anthropic: {@code message_stop}). */
  private Future<Void> endStream() {
    return toClient(response.write(format.end()))
        .compose(
            v -> {
              markFinished();
              return toClient(response.end());
            })
        .onSuccess(v -> record.streamCompleted());
  }

  /**
   * A chunk hook ended the stream: its last chunks finish it, the upstream is cancelled and the
   * client gets its end; replies still on their way are dropped.
   */
  private Future<Void> endedByPolicy(Future<Void> lastWrite) {
    endingByPolicy = true;
    upstream.cancel();
    policy.abandon();
    log.debug("call {}: the policy ended the stream", callId);
    return lastWrite.compose(v -> endStream());
  }

  /** What the upstream sent before it broke still reaches the client, ahead of the error event. */
  private void upstreamFailed(Throwable failure) {
    written = written.transform(v -> Future.failedFuture(failure));
    written.onFailure(this::abort);
  }

  /**
   * {@code answersUpstreamChunk}: the reply to one upstream chunk, not the policy's flush at the
   * end.
   */
  private Future<Void> write(PolicyStreamReply policyReply, boolean answersUpstreamChunk) {
    Future<Void> last = Future.succeededFuture();
    if (finished || endingByPolicy) {
      return last;
    }
    record.policyEvents("stream", policyReply.events());
    if (format instanceof PassThroughClientStream passing) {
      policyReply.chunks().forEach(record::finalChunk);
      Buffer bytes =
          answersUpstreamChunk
              ? passing.answered(policyReply.chunks())
              : passing.released(policyReply.chunks());
      if (bytes != null) {
        last = toClient(response.write(bytes));
        meter.chunkWritten();
      }
      return policyReply.ended() ? endedByPolicy(last) : last;
    }
    for (JsonObject chunk : policyReply.chunks()) {
      record.finalChunk(chunk);
      Buffer bytes = format.chunk(chunk);
      if (bytes != null) {
        last = toClient(response.write(bytes));
        meter.chunkWritten();
      }
    }
    return policyReply.ended() ? endedByPolicy(last) : last;
  }

  /**
   * A write to the client fails only when its connection is gone; a client that hangs up with
   * unread bytes makes the next write fail (connection reset) before the close event arrives.
   */
  private static Future<Void> toClient(Future<Void> write) {
    return write.recover(failure -> Future.failedFuture(new ClientGoneException(failure)));
  }

  /** True only the first time: the one place where the stream stops counting as active. */
  private boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    meter.ended();
    return true;
  }

  private void updateFlow() {
    boolean behind = chunksAtPolicy >= MAX_CHUNKS_AT_POLICY || response.writeQueueFull();
    if (behind && !upstreamPaused) {
      upstreamPaused = true;
      upstream.pause();
    } else if (!behind && upstreamPaused && !finished) {
      upstreamPaused = false;
      upstream.resume();
    }
  }

  /**
   * Mid-stream the status line is gone: the error travels as a last SSE event, the way the client's
   * API does.
   */
  private void abort(Throwable failure) {
    if (failure instanceof ClientGoneException || response.closed()) {
      clientGone();
      return;
    }
    if (!markFinished()) {
      return;
    }
    upstream.cancel();
    policy.abandon();
    ApiError error = ApiErrors.from(failure, callId);
    record.failed(error);
    log.warn(
        "call {}: stream aborted with {} {}: {}",
        callId,
        error.status(),
        error.code(),
        error.message());
    if (!response.ended() && !response.closed()) {
      response.write(format.error(error));
      response.end();
    }
  }

  private void clientGone() {
    if (!markFinished()) {
      return;
    }
    log.info("call {}: client disconnected mid-stream, cancelling the upstream request", callId);
    record.clientLeft();
    upstream.cancel();
    policy.abandon();
  }

  /** A write to the client failed: the client left, whatever the transport called it. */
  private static final class ClientGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientGoneException(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
