package io.luthien.gateway.auth;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks the client's credential on {@code /v1/*} by {@link AuthMode} and decides what the call's
 * provider request carries ({@link UpstreamAuth}). The credential a client presented, if any, stays
 * on the routing context for the rate limiter ({@link #credential}).
 */
public final class ClientAuth implements Handler<RoutingContext> {

  private static final String KEY = "luthien.client_credential";

  private final AuthMode mode;
  private final String proxyKey;

  /** {@code proxyKey} may be null: an open gateway in {@code client_key} mode. */
  public ClientAuth(AuthMode mode, String proxyKey) {
    this.mode = mode;
    this.proxyKey = proxyKey;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientCredential presented = ClientCredential.presented(ctx.request());
    if (presented != null) {
      ctx.put(KEY, presented);
    }
    if (mode == AuthMode.CLIENT_KEY && proxyKey == null) {
      ctx.next();
      return;
    }
    if (presented == null) {
      ctx.fail(
          new ApiError(
                  401,
                  "authentication_error",
                  "missing_api_key",
                  null,
                  "missing API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'")
              .asException());
      return;
    }
    switch (mode) {
      case CLIENT_KEY -> {
        if (!presented.matches(proxyKey)) {
          ctx.fail(invalid());
          return;
        }
      }
      case PASSTHROUGH -> UpstreamAuth.passThrough(presented).attach(ctx);
      case BOTH -> {
        if (!presented.matches(proxyKey)) {
          UpstreamAuth.passThrough(presented).attach(ctx);
        }
      }
    }
    ctx.next();
  }

  /** The credential the client presented, or null when it sent none. */
  public static ClientCredential credential(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private static RuntimeException invalid() {
    return new ApiError(401, "authentication_error", "invalid_api_key", null, "invalid API key")
        .asException();
  }
}
