package io.luthien.policy;

import io.luthien.policy.api.ModelClient;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The policies' model client: each call goes over the event bus to a gateway node ({@link
 * Addresses#MODEL_CALL}), which routes it like a client's call, so provider keys stay on the
 * gateway nodes; it is sent under the calling hook's span and records as a call of its own (a new
 * call id) whose parent is the call. Each attempt is a {@code policy.model_call} event of the
 * calling policy, naming the child call, its model, status and duration. Timeouts, 429s, 5xx
 * answers and a missing gateway are retried as the options say.
 */
final class ModelCalls {

  /**
   * The gateway's own upstream timeout may answer just after ours: the bus waits this much more.
   */
  private static final long BUS_MARGIN_MILLIS = 1_000;

  private final Vertx vertx;

  ModelCalls(Vertx vertx) {
    this.vertx = vertx;
  }

  ModelClient forCall(CallContext context) {
    return (request, options) -> attempt(context, request, options, 0);
  }

  private Future<JsonObject> attempt(
      CallContext context, JsonObject request, ModelClient.Options options, int attempt) {
    return send(context, request, options)
        .recover(
            failure -> {
              if (attempt >= options.maxRetries() || !retryable(failure)) {
                return Future.failedFuture(failure);
              }
              long delay = Math.max(1, options.retryDelay().toMillis());
              return vertx
                  .timer(delay)
                  .compose(fired -> attempt(context, request, options, attempt + 1));
            });
  }

  private Future<JsonObject> send(
      CallContext context, JsonObject request, ModelClient.Options options) {
    long timeout = options.timeout().toMillis();
    String childId = UUID.randomUUID().toString();
    long started = System.nanoTime();
    JsonObject body =
        new JsonObject()
            .put(Fields.CALL_ID, childId)
            .put(Fields.PARENT_CALL_ID, context.callId())
            .put(Fields.POLICY, context.policyName())
            .put(Fields.REQUEST, request.copy().put(Fields.STREAM, false))
            .put(Fields.TIMEOUT_MS, timeout);
    DeliveryOptions delivery =
        BusTrace.options(Context.root().with(context.span()), childId)
            .setSendTimeout(timeout + BUS_MARGIN_MILLIS);
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.MODEL_CALL, body, delivery)
        .map(Message::body)
        .onComplete(
            done -> {
              JsonObject event =
                  new JsonObject()
                      .put(Fields.CALL_ID, childId)
                      .put(Fields.MODEL, request.getString(Fields.MODEL))
                      .put("duration_ms", (System.nanoTime() - started) / 1_000_000)
                      .put(Fields.STATUS, done.succeeded() ? 200 : status(done.cause()));
              if (done.failed()) {
                event.put("error", done.cause().getMessage());
              }
              context.emit("model_call", event);
            });
  }

  /** The HTTP status a failed model call stands for: the gateway's, else 504 or 503. */
  private static int status(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return 500;
    }
    return switch (reply.failureType()) {
      case TIMEOUT -> 504;
      case NO_HANDLERS -> 503;
      default ->
          reply.failureCode() >= 400 && reply.failureCode() <= 599 ? reply.failureCode() : 500;
    };
  }

  /** A timeout, no gateway, a rate limit or a server error may pass; a 4xx will not. */
  private static boolean retryable(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return true;
    }
    return switch (reply.failureType()) {
      case TIMEOUT, NO_HANDLERS -> true;
      case RECIPIENT_FAILURE -> reply.failureCode() == 429 || reply.failureCode() >= 500;
      default -> false;
    };
  }
}
