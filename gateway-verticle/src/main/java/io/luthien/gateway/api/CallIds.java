package io.luthien.gateway.api;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Gives every request a call id at the HTTP boundary and returns it as {@code X-Call-ID}, success
 * or error.
 */
public final class CallIds {

  static final String HEADER = "X-Call-ID";
  private static final String KEY = "luthien.call_id";

  private CallIds() {}

  public static void assign(RoutingContext ctx) {
    String callId = UUID.randomUUID().toString();
    ctx.put(KEY, callId);
    ctx.response().putHeader(HEADER, callId);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
