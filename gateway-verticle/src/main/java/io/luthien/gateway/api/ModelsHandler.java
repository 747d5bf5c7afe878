package io.luthien.gateway.api;

import io.luthien.gateway.error.GatewayException;
import io.luthien.gateway.upstream.ModelRoutes;
import io.luthien.gateway.upstream.ProviderModel;
import io.luthien.gateway.upstream.ProviderModelCatalog;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models}: the models a client can name exactly and the gateway can reach (their
 * provider has the key it needs), then those the providers with a key list themselves and the
 * routes send back to them, in OpenAI's list shape, or Anthropic's when the client sends {@code
 * anthropic-version}. A provider's list is cached briefly and waited for a bounded time; one that
 * fails is left out. Beside the list, {@code luthien.routes} shows every route, glob ones included,
 * and what a route that cannot be reached is missing.
 */
public final class ModelsHandler implements Handler<RoutingContext> {

  private final Upstreams upstreams;
  private final ProviderModelCatalog catalog;

  public ModelsHandler(Upstreams upstreams) {
    this.upstreams = upstreams;
    this.catalog = upstreams.modelCatalog();
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean anthropic = ctx.request().headers().contains(AnthropicHeaders.VERSION);
    catalog
        .models()
        .onSuccess(
            listed -> {
              JsonArray data = new JsonArray();
              models(listed)
                  .values()
                  .forEach(
                      model -> data.add(anthropic ? anthropicModel(model) : openAiModel(model)));
              JsonObject list =
                  anthropic
                      ? anthropicList(data)
                      : new JsonObject().put("object", "list").put("data", data);
              ctx.response()
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .end(list.put("luthien", new JsonObject().put("routes", routes())).toBuffer());
            })
        .onFailure(ctx::fail);
  }

  /** A listed model and the provider that serves it. */
  private record Listed(ProviderModel model, String provider) {}

  /**
   * The routed models first, in route order, then each provider's own that the routes send to it
   * under the same name; a routed model the provider lists takes its name and date from there.
   */
  private Map<String, Listed> models(Map<String, List<ProviderModel>> byProvider) {
    Map<String, Listed> models = new LinkedHashMap<>();
    upstreams.routes().listed().stream()
        .filter(route -> upstreams.reachable(route.providerName()))
        .forEach(
            route ->
                models.putIfAbsent(
                    route.upstreamModel(),
                    new Listed(
                        new ProviderModel(route.upstreamModel(), route.upstreamModel(), 0),
                        route.providerName())));
    byProvider.forEach(
        (provider, own) -> {
          for (ProviderModel model : own) {
            Listed routed = models.get(model.id());
            if (routed != null) {
              if (routed.provider().equals(provider)) {
                models.put(model.id(), new Listed(model, provider));
              }
            } else if (routesTo(model.id(), provider)) {
              models.put(model.id(), new Listed(model, provider));
            }
          }
        });
    return models;
  }

  private boolean routesTo(String model, String provider) {
    try {
      ModelRoutes.Target target = upstreams.routes().resolve(model);
      return target.providerName().equals(provider) && target.upstreamModel().equals(model);
    } catch (GatewayException noRoute) {
      return false;
    }
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

  private static JsonObject openAiModel(Listed listed) {
    return new JsonObject()
        .put("id", listed.model().id())
        .put("object", "model")
        .put("created", listed.model().createdSeconds())
        .put("owned_by", listed.provider());
  }

  private static JsonObject anthropicModel(Listed listed) {
    return new JsonObject()
        .put("type", "model")
        .put("id", listed.model().id())
        .put("display_name", listed.model().displayName())
        .put("created_at", Instant.ofEpochSecond(listed.model().createdSeconds()).toString());
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
