package io.luthien.canonical;

import io.vertx.core.json.JsonObject;

/**
 * The token counts of one answer, as OpenAI reports them: {@code {prompt_tokens, completion_tokens,
 * total_tokens, prompt_tokens_details: {cached_tokens}}}. The prompt count includes the cached
 * tokens. An answer from an Anthropic backend also carries Anthropic's own usage ({@link
 * Canonical#EXTRA}), which {@link AnthropicUsage} gives back to an Anthropic client as long as
 * these counts still agree with it.
 *
 * @param promptTokens tokens of the prompt, cache reads and cache writes included
 * @param completionTokens tokens the model generated
 * @param totalTokens prompt and completion together
 * @param cachedTokens the part of the prompt read from the provider's prompt cache
 * @param anthropic the usage an Anthropic backend reported, as it came; null for any other backend
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long cachedTokens,
    JsonObject anthropic) {

  static final String PROMPT_TOKENS = "prompt_tokens";
  static final String COMPLETION_TOKENS = "completion_tokens";
  static final String TOTAL_TOKENS = "total_tokens";
  static final String PROMPT_TOKENS_DETAILS = "prompt_tokens_details";
  static final String CACHED_TOKENS = "cached_tokens";

  /** Counts with no cache and no Anthropic original, the total their sum. */
  public static Usage of(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, 0, null);
  }

  /**
   * Reads a {@code usage} object leniently (a missing or mistyped count is 0; a missing total is
   * the sum); null when {@code usage} is null.
   */
  public static Usage of(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    long prompt = JsonFields.number(usage, PROMPT_TOKENS);
    long completion = JsonFields.number(usage, COMPLETION_TOKENS);
    long total =
        usage.getValue(TOTAL_TOKENS) instanceof Number number
            ? number.longValue()
            : prompt + completion;
    long cached = JsonFields.number(JsonFields.object(usage, PROMPT_TOKENS_DETAILS), CACHED_TOKENS);
    return new Usage(prompt, completion, total, cached, JsonFields.object(usage, Canonical.EXTRA));
  }

  /**
   * The canonical {@code usage} object, {@code cached_tokens} always stated, the Anthropic original
   * under {@link Canonical#EXTRA} when there is one. Detail fields of the JSON this was read from
   * are not kept.
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put(PROMPT_TOKENS, promptTokens)
            .put(COMPLETION_TOKENS, completionTokens)
            .put(TOTAL_TOKENS, totalTokens)
            .put(PROMPT_TOKENS_DETAILS, new JsonObject().put(CACHED_TOKENS, cachedTokens));
    if (anthropic != null) {
      json.put(Canonical.EXTRA, anthropic.copy());
    }
    return json;
  }
}
