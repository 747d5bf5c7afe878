package io.luthien.gateway.upstream;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a {@link TokenCountRequest}: Anthropic's {@code {input_tokens}}, counted by the
 * provider or estimated.
 */
public record TokenCount(JsonObject body, boolean estimated) {

  static TokenCount counted(JsonObject body) {
    return new TokenCount(body, false);
  }

  public static TokenCount estimate(long inputTokens) {
    return new TokenCount(new JsonObject().put("input_tokens", inputTokens), true);
  }
}
