package io.luthien.debug.api;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.payloads.ApiCall;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The two ways into the {@link ApiRouter}: the debug port's own {@code /api/*} route, and the
 * event-bus address a gateway forwards its {@code /api/*} requests to ({@link Addresses#ADMIN_API},
 * plus its node-local twin, which a gateway in the same JVM tries first).
 */
public final class ApiEndpoints {

  private ApiEndpoints() {}

  /** After a body handler. */
  public static void http(ApiRouter router, RoutingContext ctx) {
    String body = ctx.body().isEmpty() ? null : ctx.body().asString();
    router
        .dispatch(ApiCall.of(ctx.request(), body))
        .compose(answer -> answer.writeTo(ctx.response()))
        .onFailure(ctx::fail);
  }

  public static Future<Void> listen(EventBus bus, ApiRouter router) {
    return Future.all(
            bus.<JsonObject>consumer(Addresses.ADMIN_API, message -> answer(router, message))
                .completion(),
            bus.<JsonObject>localConsumer(
                    Addresses.local(Addresses.ADMIN_API), message -> answer(router, message))
                .completion())
        .mapEmpty();
  }

  private static void answer(ApiRouter router, Message<JsonObject> message) {
    ApiCall call;
    try {
      call = ApiCall.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(FailureCodes.BAD_MESSAGE, "malformed API call: " + malformed.getMessage());
      return;
    }
    router
        .dispatch(call)
        .onComplete(
            answered -> {
              if (answered.succeeded()) {
                message.reply(answered.result().toJson());
              } else {
                message.fail(FailureCodes.INTERNAL_ERROR, String.valueOf(answered.cause()));
              }
            });
  }
}
