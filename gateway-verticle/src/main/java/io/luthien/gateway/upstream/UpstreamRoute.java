package io.luthien.gateway.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Where one call goes upstream: the routed provider, by name, and the request as that provider gets
 * it.
 */
public record UpstreamRoute(
    String providerName, ChatProvider provider, JsonObject upstreamRequest) {}
