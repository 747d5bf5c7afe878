package io.luthien.gateway.stream;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * A chunk stream read out of another {@link ReadStream} (an HTTP body, another chunk stream): a
 * {@link Step} turns each item into zero or more chunks, and may end or fail the stream early. Flow
 * control goes to the source. The one place where a chunk stream's handlers are kept: it ends or
 * fails once, and drops what comes after.
 */
public final class DerivedChunkStream<T> implements ChunkStream {

  /** What a step can do to the derived stream. */
  public interface Output {
    void chunk(JsonObject chunk);

    void end();

    void fail(Throwable failure);

    /** True once the stream ended, failed or was cancelled. */
    boolean finished();
  }

  /** How the source's items, end, failure and cancellation become the derived stream's. */
  public interface Step<T> {
    void item(T item, Output out);

    default void sourceEnded(Output out) {
      out.end();
    }

    default void sourceFailed(Throwable failure, Output out) {
      out.fail(failure);
    }

    /** The reader abandoned the stream: release the source (close a request, end a span). */
    void cancel();

    /** The reader is ready for more (resume or fetch). */
    default void resumed() {}
  }

  private final ReadStream<T> source;
  private final Step<T> step;
  private final Output output = new StreamOutput();
  private Handler<JsonObject> handler = chunk -> {};
  private Handler<Void> endHandler = v -> {};
  private Handler<Throwable> exceptionHandler = failure -> {};
  private boolean finished;

  public DerivedChunkStream(ReadStream<T> source, Step<T> step) {
    this.source = source;
    this.step = step;
    source.handler(
        item -> {
          if (!finished) {
            step.item(item, output);
          }
        });
    source.endHandler(
        v -> {
          if (!finished) {
            step.sourceEnded(output);
          }
        });
    source.exceptionHandler(
        failure -> {
          if (!finished) {
            step.sourceFailed(failure, output);
          }
        });
  }

  /** The stream's output, for a step that ends or fails it outside an item (a timer). */
  public Output output() {
    return output;
  }

  @Override
  public ChunkStream handler(Handler<JsonObject> handler) {
    this.handler = handler == null ? chunk -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream endHandler(Handler<Void> handler) {
    this.endHandler = handler == null ? v -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler == null ? failure -> {} : handler;
    return this;
  }

  @Override
  public ChunkStream pause() {
    source.pause();
    return this;
  }

  @Override
  public ChunkStream resume() {
    step.resumed();
    source.resume();
    return this;
  }

  @Override
  public ChunkStream fetch(long amount) {
    step.resumed();
    source.fetch(amount);
    return this;
  }

  @Override
  public void cancel() {
    if (!finished) {
      finished = true;
      step.cancel();
    }
  }

  private final class StreamOutput implements Output {
    @Override
    public void chunk(JsonObject chunk) {
      if (!finished) {
        handler.handle(chunk);
      }
    }

    @Override
    public void end() {
      if (!finished) {
        finished = true;
        endHandler.handle(null);
      }
    }

    @Override
    public void fail(Throwable failure) {
      if (!finished) {
        finished = true;
        exceptionHandler.handle(failure);
      }
    }

    @Override
    public boolean finished() {
      return finished;
    }
  }
}
