package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.UpstreamAuth;
import io.vertx.core.json.JsonObject;

/**
 * Where one call goes upstream: the routed provider, by name, the request as that provider gets it,
 * and what authenticates it there.
 */
public record UpstreamRoute(
    String providerName, ChatProvider provider, JsonObject upstreamRequest, UpstreamAuth auth) {

  /** With the server's provider key. */
  public UpstreamRoute(String providerName, ChatProvider provider, JsonObject upstreamRequest) {
    this(providerName, provider, upstreamRequest, UpstreamAuth.SERVER);
  }

  /** With the server's provider key (a policy's model call). */
  public static UpstreamRoute resolve(Upstreams upstreams, JsonObject request) {
    return resolve(upstreams, request, UpstreamAuth.SERVER);
  }

  /**
   * Where {@code request}'s model goes: the provider, and the request renamed to the provider's
   * model; throws the 404s of an unknown or unconfigured model and the 401 of a client credential
   * the provider cannot take.
   */
  public static UpstreamRoute resolve(Upstreams upstreams, JsonObject request, UpstreamAuth auth) {
    String model = request.getString("model");
    ModelRoutes.Target target = upstreams.routes().resolve(model);
    JsonObject upstreamRequest =
        target.upstreamModel().equals(model)
            ? request
            : request.copy().put("model", target.upstreamModel());
    return new UpstreamRoute(
        target.providerName(), upstreams.callable(model, target, auth), upstreamRequest, auth);
  }
}
