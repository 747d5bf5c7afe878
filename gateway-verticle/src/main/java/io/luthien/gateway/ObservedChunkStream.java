package io.luthien.gateway;

/**
 * An upstream chunk stream that shows each chunk, its end, failure or cancellation to its {@code llm.completion}
 * span, whatever handlers the reader sets.
 */
final class ObservedChunkStream extends ForwardingChunkStream {

  private final LlmCompletionSpan span;

  ObservedChunkStream(ChunkStream upstream, LlmCompletionSpan span) {
    super(upstream);
    this.span = span;
    upstream.handler(chunk -> {
      span.chunk(chunk);
      handler.handle(chunk);
    });
    upstream.endHandler(v -> {
      span.streamEnded();
      endHandler.handle(null);
    });
    upstream.exceptionHandler(failure -> {
      span.failed(failure);
      exceptionHandler.handle(failure);
    });
  }

  /** After the end or a failure the span is already over and ignores this. */
  @Override
  public void cancel() {
    span.cancelled();
    super.cancel();
  }
}
