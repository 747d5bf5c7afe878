package io.luthien.gateway.api;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.error.AnthropicErrors;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any other {@code /v1/*} request of an Anthropic client (it sends {@code anthropic-version}):
 * {@code /v1/messages/batches}, {@code /v1/files}, {@code /v1/models/{id}} … is forwarded unchanged
 * to the Anthropic provider, without policy or recording, instead of a 404. Other clients' unknown
 * paths go on to the router's 404. Errors are in Anthropic's shape.
 */
public final class ForwardedAnthropicHandler implements Handler<RoutingContext> {

  /**
   * Every {@code /v1/} path but the gateway's own endpoints, so that a wrong method on those stays
   * a 405.
   */
  public static final String PATHS =
      "/v1/(?!(chat/completions|messages|messages/count_tokens|models)$).+";

  /** The {@code http.route} of a forwarded request in traces and metrics. */
  private static final String ROUTE = "/v1/*";

  private static final Logger log = LoggerFactory.getLogger(ForwardedAnthropicHandler.class);

  private final Upstreams upstreams;

  public ForwardedAnthropicHandler(Upstreams upstreams) {
    this.upstreams = upstreams;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().headers().contains(AnthropicHeaders.VERSION)) {
      ctx.next();
      return;
    }
    // named only when forwarded: another client's unknown path stays an unrouted 404
    CallTrace.of(ctx).routed(ctx.request().method(), ROUTE);
    String callId = CallIds.of(ctx);
    try {
      upstreams
          .anthropicPassthrough()
          .forward(ctx.request(), ctx.response(), UpstreamAuth.of(ctx))
          .onFailure(
              failure -> {
                log.warn(
                    "call {}: forwarding {} {} to Anthropic failed: {}",
                    callId,
                    ctx.request().method(),
                    ctx.request().path(),
                    failure.getMessage());
                fail(
                    ctx,
                    new ApiError(
                        502,
                        "api_error",
                        "upstream_unreachable",
                        null,
                        "the Anthropic provider could not be reached: " + failure.getMessage()));
              });
    } catch (GatewayException refused) {
      fail(ctx, refused.error());
    }
  }

  private static void fail(RoutingContext ctx, ApiError error) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(AnthropicErrors.body(error).toBuffer());
  }
}
