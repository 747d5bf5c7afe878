package io.luthien.recorder;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.function.Supplier;

/**
 * Runs asynchronous work with an OpenTelemetry context current until the work completes, so that
 * the spans Vert.x's pg client makes ({@code Query}) are its children.
 *
 * <p>Vert.x keeps the current OpenTelemetry context in the local storage of its duplicated context,
 * and a client reads it when it actually sends, which can be several callbacks after the caller
 * returned (a pooled connection being acquired or opened). By then a handler's scope is closed (it
 * closes when the handler returns), and a timer has no context at all. So the work runs on a
 * duplicated context of its own that holds {@code context} from start to completion, and nothing
 * else runs there. This uses Vert.x's internal {@link ContextInternal}: Vert.x 5 has no public way
 * to make a duplicated context.
 */
final class TracedWork {

  private TracedWork() {}

  /**
   * {@code work}, run under {@code context}; run as it is when that context has no span to parent
   * anything.
   */
  static <T> Future<T> run(Context context, Supplier<Future<T>> work) {
    ContextInternal current = ContextInternal.current();
    if (!Span.fromContext(context).getSpanContext().isValid() || current == null) {
      return work.get();
    }
    ContextInternal own = current.duplicate();
    Promise<T> done = Promise.promise();
    own.emit(
        ignored -> {
          @SuppressWarnings("MustBeClosedChecker") // closed when the work's future completes, below
          Scope scope = context.makeCurrent();
          Future<T> outcome;
          try {
            outcome = work.get();
          } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
          }
          outcome.onComplete(
              result -> {
                scope.close();
                done.handle(result);
              });
        });
    return done.future();
  }
}
