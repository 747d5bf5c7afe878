package io.luthien.gateway.upstream;

import io.luthien.gateway.api.AnthropicHeaders;
import io.vertx.core.json.JsonObject;

/**
 * One {@code POST /v1/messages/count_tokens}: the Anthropic Messages {@code body} (its model
 * already the upstream model), the client's {@link AnthropicHeaders carried headers} as {@code
 * {name: value}}, and its query string (null when none).
 */
public record TokenCountRequest(JsonObject body, JsonObject headers, String query) {}
