package io.luthien.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/responses/{id}} and {@code DELETE /v1/responses/{id}}: a stored response as its
 * client got it, rebuilt from the recording ({@link RecordedResponses}), and its deletion ({@code
 * {id, object: "response.deleted", deleted: true}}), after which it can no longer be read nor
 * continued. A response the gateway does not have (or that was created with {@code store: false})
 * is OpenAI's 404.
 */
public final class StoredResponsesHandler {

  public static final String PATH = ResponsesClientApi.PATH + "/:id";

  private final RecordedResponses recorded;

  public StoredResponsesHandler(Vertx vertx) {
    this.recorded = new RecordedResponses(vertx);
  }

  public void get(RoutingContext ctx) {
    recorded
        .stored(CallIds.of(ctx), ctx.pathParam("id"))
        .onSuccess(response -> answer(ctx, response))
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    recorded
        .delete(CallIds.of(ctx), id)
        .onSuccess(
            deleted ->
                answer(
                    ctx,
                    new JsonObject()
                        .put("id", id)
                        .put("object", "response.deleted")
                        .put("deleted", true)))
        .onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
