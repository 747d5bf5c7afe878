package io.luthien.gateway.upstream;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which provider serves which model. Routes are tried in order; a route's {@code model} is an exact
 * name or a glob ({@code *}, {@code ?}); an optional {@code upstream_model} renames the model on
 * its way upstream.
 */
public final class ModelRoutes {

  /** A resolved route: the provider to call and the model name it expects. */
  public record Target(String providerName, String upstreamModel) {}

  private record Route(String model, Pattern pattern, String provider, String upstreamModel) {}

  private final List<Route> routes;

  /** The models the routes name exactly: exact routes and every {@code upstream_model}. */
  private final Set<String> named;

  private ModelRoutes(List<Route> routes) {
    this.routes = routes;
    Set<String> names = new HashSet<>();
    for (Route route : routes) {
      if (!isGlob(route.model)) {
        names.add(route.model);
      }
      if (route.upstreamModel != null) {
        names.add(route.upstreamModel);
      }
    }
    this.named = Set.copyOf(names);
  }

  /**
   * The routes used without a routes file: the mock models locally, {@code claude-*} to the
   * Anthropic provider, everything else to the OpenAI provider.
   */
  static ModelRoutes defaults() {
    return fromConfig(
        new JsonObject()
            .put(
                "routes",
                new JsonArray()
                    .add(new JsonObject().put("model", "mock").put("provider", "mock"))
                    .add(new JsonObject().put("model", "mock*").put("provider", "mock"))
                    .add(new JsonObject().put("model", "claude-*").put("provider", "anthropic"))
                    .add(new JsonObject().put("model", "*").put("provider", "openai"))),
        "default routes",
        Map.of());
  }

  /**
   * Parses {@code {routes: [{model, provider, upstream_model?}]}}, refusing routes to unknown
   * providers.
   */
  static ModelRoutes fromConfig(JsonObject document, String origin, Map<String, ?> providers) {
    if (!(document.getValue("routes") instanceof JsonArray entries) || entries.isEmpty()) {
      throw new IllegalArgumentException(origin + ": expected a non-empty 'routes' list");
    }
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject entry)
          || !(entry.getValue("model") instanceof String model)
          || !(entry.getValue("provider") instanceof String provider)) {
        throw new IllegalArgumentException(
            origin + ": routes[" + i + "] needs string 'model' and 'provider'");
      }
      if (!providers.isEmpty() && !providers.containsKey(provider)) {
        throw new IllegalArgumentException(
            origin
                + ": routes["
                + i
                + "] names unknown provider '"
                + provider
                + "' (known: "
                + String.join(", ", providers.keySet())
                + ")");
      }
      routes.add(new Route(model, glob(model), provider, entry.getString("upstream_model")));
    }
    return new ModelRoutes(List.copyOf(routes));
  }

  public Target resolve(String model) {
    return find(model)
        .orElseThrow(
            () ->
                new ApiError(
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "model",
                        "no route for model '" + model + "'")
                    .asException());
  }

  /** The first route that matches {@code model}, if any. */
  public Optional<Target> find(String model) {
    for (Route route : routes) {
      if (route.pattern.matcher(model).matches()) {
        return Optional.of(
            new Target(route.provider, route.upstreamModel != null ? route.upstreamModel : model));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code model} named from a set the routes bound, for labels that must not grow with what
   * clients send: itself when a route names it exactly or as its {@code upstream_model}, else the
   * glob of the first route that matches it ({@code claude-*}), else null.
   */
  public String boundedName(String model) {
    if (named.contains(model)) {
      return model;
    }
    for (Route route : routes) {
      if (route.pattern.matcher(model).matches()) {
        return route.model;
      }
    }
    return null;
  }

  /** Every route in order: its model (a name or a glob) and the provider that serves it. */
  public List<Target> all() {
    return routes.stream().map(route -> new Target(route.provider, route.model)).toList();
  }

  /**
   * The models a client can name exactly (routes without wildcards), for {@code GET /v1/models}.
   */
  public List<Target> listed() {
    return routes.stream()
        .filter(route -> !isGlob(route.model))
        .map(route -> new Target(route.provider, route.model))
        .toList();
  }

  private static boolean isGlob(String model) {
    return model.contains("*") || model.contains("?");
  }

  private static Pattern glob(String model) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < model.length(); i++) {
      char c = model.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
