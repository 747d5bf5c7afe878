package io.luthien.gateway.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Where one call goes upstream: the routed provider, by name, and the request as that provider gets
 * it.
 */
public record UpstreamRoute(
    String providerName, ChatProvider provider, JsonObject upstreamRequest) {

  /**
   * Where {@code request}'s model goes: the provider, and the request renamed to the provider's
   * model; throws the 404s of an unknown or unconfigured model.
   */
  public static UpstreamRoute resolve(Upstreams upstreams, JsonObject request) {
    String model = request.getString("model");
    ModelRoutes.Target target = upstreams.routes().resolve(model);
    JsonObject upstreamRequest =
        target.upstreamModel().equals(model)
            ? request
            : request.copy().put("model", target.upstreamModel());
    return new UpstreamRoute(
        target.providerName(), upstreams.callable(model, target), upstreamRequest);
  }
}
