package io.luthien.canonical;

import io.vertx.core.json.JsonObject;

/**
 * The one token-usage rule between Anthropic and OpenAI, both ways. Anthropic counts cache reads
 * ({@code cache_read_input_tokens}) and cache writes ({@code cache_creation_input_tokens}) apart
 * from {@code input_tokens}; OpenAI's {@code prompt_tokens} includes both, and names the cache
 * reads {@code cached_tokens}. No count it produces is ever negative.
 */
public final class AnthropicUsage {

  static final String INPUT_TOKENS = "input_tokens";
  static final String OUTPUT_TOKENS = "output_tokens";
  static final String CACHE_READ = "cache_read_input_tokens";
  static final String CACHE_WRITE = "cache_creation_input_tokens";

  private AnthropicUsage() {}

  /**
   * An Anthropic usage in OpenAI counts, keeping the original (a copy) for the way back; zeros for
   * null.
   */
  public static Usage toCanonical(JsonObject anthropicUsage) {
    if (anthropicUsage == null) {
      return Usage.of(0, 0);
    }
    long cacheRead = count(anthropicUsage, CACHE_READ);
    long prompt =
        count(anthropicUsage, INPUT_TOKENS) + count(anthropicUsage, CACHE_WRITE) + cacheRead;
    long completion = count(anthropicUsage, OUTPUT_TOKENS);
    return new Usage(prompt, completion, prompt + completion, cacheRead, anthropicUsage.copy());
  }

  /**
   * The Anthropic usage for a canonical one: the backend's original when there is one and the
   * counts still agree with it (prompt, completion and cached tokens), else one derived from the
   * counts, where {@code input_tokens} is the prompt less its cache reads and the cache writes the
   * original reported. Cache reads and writes are stated only when there were some. A null usage
   * (the answer had none) is zero tokens.
   */
  public static JsonObject toAnthropic(Usage usage) {
    if (usage == null) {
      return new JsonObject().put(INPUT_TOKENS, 0L).put(OUTPUT_TOKENS, 0L);
    }
    if (usage.anthropic() != null && agrees(toCanonical(usage.anthropic()), usage)) {
      return usage.anthropic().copy();
    }
    long cacheRead = Math.max(0, usage.cachedTokens());
    long cacheWrite = cacheWrites(usage);
    JsonObject anthropic =
        new JsonObject()
            .put(INPUT_TOKENS, inputTokens(usage))
            .put(OUTPUT_TOKENS, Math.max(0, usage.completionTokens()));
    if (cacheRead > 0) {
      anthropic.put(CACHE_READ, cacheRead);
    }
    if (cacheWrite > 0) {
      anthropic.put(CACHE_WRITE, cacheWrite);
    }
    return anthropic;
  }

  /**
   * Anthropic's {@code input_tokens} for a canonical usage: the prompt less cache reads and writes,
   * at least 0.
   */
  public static long inputTokens(Usage usage) {
    if (usage == null) {
      return 0;
    }
    if (usage.anthropic() != null && agrees(toCanonical(usage.anthropic()), usage)) {
      return count(usage.anthropic(), INPUT_TOKENS);
    }
    return Math.max(
        0, usage.promptTokens() - Math.max(0, usage.cachedTokens()) - cacheWrites(usage));
  }

  /** OpenAI has no count of cache writes: only an Anthropic original knows them. */
  private static long cacheWrites(Usage usage) {
    return count(usage.anthropic(), CACHE_WRITE);
  }

  private static boolean agrees(Usage derived, Usage usage) {
    return derived.promptTokens() == usage.promptTokens()
        && derived.completionTokens() == usage.completionTokens()
        && derived.cachedTokens() == usage.cachedTokens();
  }

  private static long count(JsonObject usage, String key) {
    return Math.max(0, JsonFields.number(usage, key));
  }
}
