package io.luthien.gateway.upstream;

import io.luthien.gateway.api.AnthropicHeaders;
import io.luthien.gateway.auth.UpstreamAuth;
import io.vertx.core.json.JsonObject;

/**
 * One {@code POST /v1/messages/count_tokens}: the Anthropic Messages {@code body} (its model
 * already the upstream model), the client's {@link AnthropicHeaders carried headers} as {@code
 * {name: value}}, its query string (null when none), and what authenticates it upstream.
 */
public record TokenCountRequest(
    JsonObject body, JsonObject headers, String query, UpstreamAuth auth) {}
