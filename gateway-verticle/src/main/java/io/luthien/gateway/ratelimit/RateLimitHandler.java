package io.luthien.gateway.ratelimit;

import io.luthien.gateway.auth.ClientAuth;
import io.luthien.gateway.auth.ClientCredential;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes one request from the bucket of the client's credential (its SHA-256; a request with none,
 * on an open gateway, from the bucket of its address) and tells the client where it stands in
 * {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}; a request the bucket has no
 * room for is refused with 429 {@code rate_limit_exceeded} and {@code Retry-After}, in the client's
 * error shape.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {

  private final RateLimiter limiter;

  public RateLimitHandler(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientCredential credential = ClientAuth.credential(ctx);
    String key =
        credential != null
            ? credential.hash()
            : "address:" + ClientCredential.sha256(clientHost(ctx));
    // held while the limiter answers (Redis: asynchronously), so that the body handler after this
    // one still finds the body to read; it resumes the request
    ctx.request().pause();
    limiter
        .acquire(key)
        .onSuccess(
            decision -> {
              if (decision.decided()) {
                HttpServerResponse response = ctx.response();
                response
                    .putHeader("X-RateLimit-Limit", Long.toString(decision.limit()))
                    .putHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()))
                    .putHeader("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
              }
              if (decision.allowed()) {
                ctx.next();
              } else {
                ctx.request().resume();
                ctx.response()
                    .putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                ctx.fail(
                    new ApiError(
                            429,
                            "rate_limit_error",
                            "rate_limit_exceeded",
                            null,
                            "rate limit reached for this credential ("
                                + decision.limit()
                                + " requests at most at once); retry after "
                                + decision.retryAfterSeconds()
                                + " s")
                        .asException());
              }
            })
        .onFailure(
            failure -> {
              ctx.request().resume();
              ctx.fail(failure);
            });
  }

  /** The client's host, without its port (a new connection must not mean a new bucket). */
  private static String clientHost(RoutingContext ctx) {
    SocketAddress address = ctx.request().remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }
}
