package io.luthien.gateway;

import io.vertx.core.json.JsonObject;

/** Where one call goes upstream: the routed provider, by name, and the request as that provider gets it. */
record UpstreamRoute(String providerName, ChatProvider provider, JsonObject upstreamRequest) {
}
