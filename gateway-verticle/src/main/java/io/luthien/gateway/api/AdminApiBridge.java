package io.luthien.gateway.api;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.ApiAnswer;
import io.luthien.shared.payloads.ApiCall;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/*} on the gateway's port: luthien-proxy's admin and history API live on the gateway's
 * base URL, so its CLI and scripts work here. The gateway holds no admin state: it hands the
 * request to a debug node over the event bus (the one in this JVM first) and writes back its
 * answer; the debug node checks the admin key.
 */
public final class AdminApiBridge implements Handler<RoutingContext> {

  /** Test chats and replays make model calls: as long as a slow model may take. */
  private static final long TIMEOUT_MS = 600_000;

  private final EventBus bus;
  private boolean debugInThisNode = true;

  public AdminApiBridge(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String body = ctx.body().isEmpty() ? null : ctx.body().asString();
    JsonObject call = ApiCall.of(ctx.request(), body).toJson();
    ask(call)
        .map(reply -> ApiAnswer.fromJson(reply))
        .recover(failure -> Future.succeededFuture(unanswered(failure)))
        .compose(answer -> answer.writeTo(ctx.response()))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> ask(JsonObject call) {
    if (!debugInThisNode) {
      return request(Addresses.ADMIN_API, call);
    }
    return request(Addresses.local(Addresses.ADMIN_API), call)
        .recover(
            failure -> {
              if (noHandlers(failure)) {
                debugInThisNode = false;
                return request(Addresses.ADMIN_API, call);
              }
              return Future.failedFuture(failure);
            });
  }

  private Future<JsonObject> request(String address, JsonObject call) {
    return bus.<JsonObject>request(address, call, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(message -> message.body());
  }

  private static boolean noHandlers(Throwable failure) {
    return failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static ApiAnswer unanswered(Throwable failure) {
    int status = 502;
    String message = "the debug node failed to answer: " + failure.getMessage();
    if (noHandlers(failure)) {
      status = 503;
      message = "no debug node runs in this cluster: the admin API needs the debug role";
    } else if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.TIMEOUT) {
      status = 504;
      message = "the debug node did not answer in time";
    }
    return ApiAnswer.problem(status, "service_unavailable", message);
  }
}
