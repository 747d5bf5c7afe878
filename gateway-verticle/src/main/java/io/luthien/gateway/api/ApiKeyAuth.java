package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the client key, sent as {@code Authorization: Bearer <key>} or {@code x-api-key: <key>}.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";

  private final byte[] expected;

  public ApiKeyAuth(String key) {
    this.expected = key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = presentedKey(ctx);
    if (presented == null) {
      ctx.fail(
          new ApiError(
                  401,
                  "authentication_error",
                  "missing_api_key",
                  null,
                  "missing API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'")
              .asException());
    } else if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      ctx.fail(
          new ApiError(401, "authentication_error", "invalid_api_key", null, "invalid API key")
              .asException());
    } else {
      ctx.next();
    }
  }

  private static String presentedKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return authorization.substring(BEARER.length()).trim();
    }
    return ctx.request().getHeader("x-api-key");
  }
}
