package io.luthien.gateway.api;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.translate.AnthropicRequests;
import io.luthien.gateway.upstream.ChatProvider;
import io.luthien.gateway.upstream.ModelRoutes;
import io.luthien.gateway.upstream.TokenCount;
import io.luthien.gateway.upstream.TokenCountRequest;
import io.luthien.gateway.upstream.TokenEstimator;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages/count_tokens}: a model routed to an Anthropic backend gets the request
 * as the client sent it (with its {@code anthropic-beta}, {@code anthropic-version} and query
 * string) and answers itself; for any other backend the gateway estimates with a real tokenizer and
 * says so in {@link #ESTIMATE_HEADER}. Authenticated upstream like the client's completions (its
 * credential passed through, or the server's key). Not a model call: no policy runs and nothing is
 * recorded.
 */
public final class CountTokensHandler implements Handler<RoutingContext> {

  /** {@code estimate} on an answer the gateway computed; absent on the provider's own count. */
  public static final String ESTIMATE_HEADER = "X-Luthien-Token-Count";

  private final Vertx vertx;
  private final JsonRequestBody requestBody;
  private final Upstreams upstreams;
  private final TokenEstimator estimator = new TokenEstimator();

  public CountTokensHandler(Vertx vertx, JsonRequestBody requestBody, Upstreams upstreams) {
    this.vertx = vertx;
    this.requestBody = requestBody;
    this.upstreams = upstreams;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = requestBody.of(ctx);
    AnthropicRequests.validateConversation(body);
    String model = body.getString("model");
    CallTrace.of(ctx).describe(model, false, AnthropicClientApi.INSTANCE.name());
    ModelRoutes.Target target = upstreams.routes().resolve(model);
    UpstreamAuth auth = UpstreamAuth.of(ctx);
    ChatProvider provider = upstreams.callable(model, target, auth);
    JsonObject upstreamBody =
        target.upstreamModel().equals(model)
            ? body
            : body.copy().put("model", target.upstreamModel());
    Promise<Void> clientGone = Promise.promise();
    ctx.response().closeHandler(closed -> clientGone.tryComplete());
    Future<TokenCount> count =
        provider
            .tokenCounter()
            .map(
                counter ->
                    counter.count(
                        new TokenCountRequest(
                            upstreamBody,
                            AnthropicHeaders.carried(ctx.request().headers()),
                            ctx.request().query(),
                            auth),
                        clientGone.future(),
                        CallTrace.of(ctx).context()))
            .orElseGet(
                () ->
                    vertx.executeBlocking(
                        () ->
                            TokenCount.estimate(
                                estimator.inputTokens(target.upstreamModel(), upstreamBody)),
                        false));
    count.onSuccess(answer -> respond(ctx, answer)).onFailure(ctx::fail);
  }

  private static void respond(RoutingContext ctx, TokenCount count) {
    if (count.estimated()) {
      ctx.response().putHeader(ESTIMATE_HEADER, "estimate");
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(count.body().toBuffer());
  }
}
