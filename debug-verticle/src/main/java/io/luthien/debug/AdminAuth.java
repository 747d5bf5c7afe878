package io.luthien.debug;

import io.luthien.debug.api.AdminKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Checks the admin key ({@link AdminKey}) on every debug route that needs it. */
final class AdminAuth implements Handler<RoutingContext> {

  private final AdminKey key;

  AdminAuth(String adminKey) {
    this.key = new AdminKey(adminKey);
  }

  @Override
  public void handle(RoutingContext ctx) {
    AdminKey.Verdict verdict =
        key.check(
            ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
            ctx.request().getHeader("x-api-key"));
    if (verdict == AdminKey.Verdict.ACCEPTED) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", AdminKey.CHALLENGE);
    ctx.fail(new DebugError(401, "authentication_error", AdminKey.describe(verdict)));
  }
}
