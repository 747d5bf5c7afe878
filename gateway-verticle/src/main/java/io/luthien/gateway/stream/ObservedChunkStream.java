package io.luthien.gateway.stream;

import io.luthien.gateway.telemetry.LlmCompletionSpan;
import io.vertx.core.json.JsonObject;

/**
 * An upstream chunk stream that shows each chunk, its end, failure or cancellation to its {@code
 * llm.completion} span, whatever handlers the reader sets.
 */
public final class ObservedChunkStream implements DerivedChunkStream.Step<JsonObject> {

  private final ChunkStream upstream;
  private final LlmCompletionSpan span;

  private ObservedChunkStream(ChunkStream upstream, LlmCompletionSpan span) {
    this.upstream = upstream;
    this.span = span;
  }

  public static ChunkStream of(ChunkStream upstream, LlmCompletionSpan span) {
    return new DerivedChunkStream<>(upstream, new ObservedChunkStream(upstream, span));
  }

  @Override
  public void item(JsonObject chunk, DerivedChunkStream.Output out) {
    span.chunk(chunk);
    out.chunk(chunk);
  }

  @Override
  public void sourceEnded(DerivedChunkStream.Output out) {
    span.streamEnded();
    out.end();
  }

  @Override
  public void sourceFailed(Throwable failure, DerivedChunkStream.Output out) {
    span.failed(failure);
    out.fail(failure);
  }

  @Override
  public void cancel() {
    span.cancelled();
    upstream.cancel();
  }
}
