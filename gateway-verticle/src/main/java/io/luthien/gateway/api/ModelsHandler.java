package io.luthien.gateway.api;

import io.luthien.gateway.upstream.ModelRoutes;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models}: the models a client can name exactly and the gateway can reach (their
 * provider has the key it needs), in OpenAI's list shape, or Anthropic's when the client sends
 * {@code anthropic-version}. Beside the list, {@code luthien.routes} shows every route, glob ones
 * included, and what a route that cannot be reached is missing.
 */
public final class ModelsHandler implements Handler<RoutingContext> {

  private final Upstreams upstreams;

  public ModelsHandler(Upstreams upstreams) {
    this.upstreams = upstreams;
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean anthropic = ctx.request().headers().contains(AnthropicHeaders.VERSION);
    JsonArray data = new JsonArray();
    upstreams.routes().listed().stream()
        .filter(model -> upstreams.reachable(model.providerName()))
        .forEach(model -> data.add(anthropic ? anthropicModel(model) : openAiModel(model)));
    JsonObject list =
        anthropic ? anthropicList(data) : new JsonObject().put("object", "list").put("data", data);
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(list.put("luthien", new JsonObject().put("routes", routes())).toBuffer());
  }

  private JsonArray routes() {
    JsonArray routes = new JsonArray();
    for (ModelRoutes.Target route : upstreams.routes().all()) {
      String missing = upstreams.missingKeyVariable(route.providerName());
      JsonObject entry =
          new JsonObject()
              .put("model", route.upstreamModel())
              .put("provider", route.providerName())
              .put("reachable", missing == null);
      if (missing != null) {
        entry.put("missing", "set " + missing);
      }
      routes.add(entry);
    }
    return routes;
  }

  private static JsonObject openAiModel(ModelRoutes.Target model) {
    return new JsonObject()
        .put("id", model.upstreamModel())
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", model.providerName());
  }

  private static JsonObject anthropicModel(ModelRoutes.Target model) {
    return new JsonObject()
        .put("type", "model")
        .put("id", model.upstreamModel())
        .put("display_name", model.upstreamModel())
        .put("created_at", "1970-01-01T00:00:00Z");
  }

  private static JsonObject anthropicList(JsonArray data) {
    boolean empty = data.isEmpty();
    return new JsonObject()
        .put("data", data)
        .put("has_more", false)
        .put("first_id", empty ? null : data.getJsonObject(0).getString("id"))
        .put("last_id", empty ? null : data.getJsonObject(data.size() - 1).getString("id"));
  }
}
