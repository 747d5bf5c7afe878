package io.luthien.policy.library.judge;

import io.luthien.canonical.Completions;
import io.luthien.policy.api.ModelClient;
import io.luthien.policy.api.PolicyContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;

/**
 * Asks a judge model and reads its verdict, as luthien-proxy's {@code call_simple_llm_judge} does:
 * up to {@code 1 + max_retries} attempts with {@code retry_delay} between them, retrying timeouts,
 * errors and unreadable answers alike, but not an answer the gateway refused with a 4xx (other than
 * 429), which will not change. Each attempt is one model call with no retries of its own, cut off
 * at the attempt's timeout here whatever the model client does, so the whole call never takes
 * longer than {@link ModelClient.Options#budget()}. The future fails with a {@link JudgeFailure}
 * that says why.
 */
final class JudgeCall {

  private JudgeCall() {}

  static <T> Future<T> ask(
      PolicyContext context,
      JsonObject request,
      ModelClient.Options options,
      Function<String, T> verdict) {
    return attempt(context, request, options, verdict, 0);
  }

  private static <T> Future<T> attempt(
      PolicyContext context,
      JsonObject request,
      ModelClient.Options options,
      Function<String, T> verdict,
      int attempt) {
    return once(context, request, options.timeout())
        .map(answer -> verdict.apply(Completions.text(answer)))
        .recover(
            failure -> {
              JudgeFailure why = explain(failure);
              if (attempt >= options.maxRetries() || !why.retryable()) {
                return Future.failedFuture(
                    attempt == 0
                        ? why
                        : new JudgeFailure(
                            why.getMessage() + " (" + (attempt + 1) + " attempts)", false));
              }
              long delay = options.retryDelay().toMillis();
              Future<Void> pause =
                  delay > 0 ? context.vertx().timer(delay).mapEmpty() : Future.succeededFuture();
              return pause.compose(
                  paused -> attempt(context, request, options, verdict, attempt + 1));
            });
  }

  /** One model call, failed here once {@code timeout} has passed. */
  private static Future<JsonObject> once(
      PolicyContext context, JsonObject request, Duration timeout) {
    Vertx vertx = context.vertx();
    long millis = Math.max(1, timeout.toMillis());
    Promise<JsonObject> answer = Promise.promise();
    long timer =
        vertx.setTimer(
            millis,
            fired ->
                answer.tryFail(
                    new JudgeFailure("the judge did not answer within " + millis + " ms")));
    Future<JsonObject> call;
    try {
      call = context.models().complete(request.copy(), ModelClient.Options.of(timeout));
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    if (call == null) {
      call = Future.failedFuture(new JudgeFailure("the model client returned no call", false));
    }
    call.onComplete(
        result -> {
          vertx.cancelTimer(timer);
          if (result.succeeded()) {
            answer.tryComplete(result.result());
          } else {
            answer.tryFail(result.cause());
          }
        });
    return answer.future();
  }

  private static JudgeFailure explain(Throwable failure) {
    if (failure instanceof JudgeFailure known) {
      return known;
    }
    if (failure instanceof ReplyException reply) {
      boolean refused =
          reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && reply.failureCode() >= 400
              && reply.failureCode() < 500
              && reply.failureCode() != 429;
      String kind =
          switch (reply.failureType()) {
            case TIMEOUT -> "the judge did not answer in time";
            case NO_HANDLERS -> "no gateway node to reach the judge";
            default -> "the judge call failed (" + reply.failureCode() + ")";
          };
      return new JudgeFailure(kind + ": " + reply.getMessage(), !refused);
    }
    String message = failure.getMessage();
    return new JudgeFailure(
        "the judge call failed: "
            + (message == null ? failure.getClass().getSimpleName() : message));
  }
}
