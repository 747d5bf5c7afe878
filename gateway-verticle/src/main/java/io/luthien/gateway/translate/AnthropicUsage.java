package io.luthien.gateway.translate;

import io.vertx.core.json.JsonObject;

/**
 * Token usage, Anthropic ↔ OpenAI. Anthropic counts cache reads and cache writes apart from {@code input_tokens};
 * OpenAI's {@code prompt_tokens} includes them all and names the cache reads {@code cached_tokens}.
 */
final class AnthropicUsage {

  private AnthropicUsage() {
  }

  static JsonObject toCanonical(JsonObject usage) {
    long cacheRead = JsonFields.number(usage, "cache_read_input_tokens");
    long prompt = JsonFields.number(usage, "input_tokens") + JsonFields.number(usage, "cache_creation_input_tokens")
        + cacheRead;
    long completion = JsonFields.number(usage, "output_tokens");
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cacheRead))
        .put(Canonical.EXTRA, usage.copy());
  }

  /** The original Anthropic usage when the counts still agree with it, else one derived from the OpenAI counts. */
  static JsonObject toAnthropic(JsonObject usage) {
    if (usage == null) {
      return new JsonObject().put("input_tokens", 0).put("output_tokens", 0);
    }
    JsonObject original = JsonFields.object(usage, Canonical.EXTRA);
    if (original != null && agrees(toCanonical(original), usage)) {
      return original.copy();
    }
    JsonObject details = JsonFields.object(usage, "prompt_tokens_details");
    long cached = JsonFields.number(details, "cached_tokens");
    JsonObject out = new JsonObject()
        .put("input_tokens", JsonFields.number(usage, "prompt_tokens") - cached)
        .put("output_tokens", JsonFields.number(usage, "completion_tokens"));
    if (details != null && details.containsKey("cached_tokens")) {
      out.put("cache_read_input_tokens", cached);
    }
    return out;
  }

  private static boolean agrees(JsonObject derived, JsonObject usage) {
    return JsonFields.number(derived, "prompt_tokens") == JsonFields.number(usage, "prompt_tokens")
        && JsonFields.number(derived, "completion_tokens") == JsonFields.number(usage, "completion_tokens");
  }
}
