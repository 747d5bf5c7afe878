package io.luthien.debug;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks the admin key on every debug route: {@code Authorization: Bearer <key>}, {@code x-api-key:
 * <key>}, or HTTP Basic with the key as password. Basic is what lets a browser open the pages: the
 * 401 carries a Basic challenge, the browser asks once, then sends it on the page's own fetch and
 * EventSource requests too.
 */
final class AdminAuth implements Handler<RoutingContext> {

  static final String CHALLENGE = "Basic realm=\"luthien-debug\", charset=\"UTF-8\"";

  private final byte[] expected;

  AdminAuth(String adminKey) {
    this.expected = adminKey.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = presentedKey(ctx);
    if (presented == null) {
      reject(
          ctx,
          "missing admin key: send 'Authorization: Bearer <ADMIN_API_KEY>', 'x-api-key' or HTTP Basic");
    } else if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      reject(ctx, "invalid admin key");
    } else {
      ctx.next();
    }
  }

  private static void reject(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
    ctx.fail(new DebugError(401, "authentication_error", message));
  }

  private static String presentedKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return authorization.substring(7).trim();
      }
      if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return basicPassword(authorization.substring(6).trim());
      }
    }
    return ctx.request().getHeader("x-api-key");
  }

  private static String basicPassword(String encoded) {
    try {
      String userAndPassword =
          new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = userAndPassword.indexOf(':');
      return colon < 0 ? null : userAndPassword.substring(colon + 1);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }
}
