package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnthropicUsageTest {

  private static final JsonObject WITH_CACHE =
      new JsonObject(
          """
      {"input_tokens": 12, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2048, "output_tokens": 12}
      """);

  private static JsonObject openAiUsage(long prompt, long completion, long cached) {
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)
        .put(
            "prompt_tokens_details",
            new JsonObject().put("cached_tokens", cached).put("audio_tokens", 0));
  }

  @Test
  @DisplayName(
      "cache reads and cache writes add up into prompt_tokens, cached_tokens is the cache read, the original rides along")
  void toCanonicalAddsUpTheCache() {
    Usage usage = AnthropicUsage.toCanonical(WITH_CACHE);

    assertThat(usage.toJson())
        .isEqualTo(
            new JsonObject(
                """
        {"prompt_tokens": 2110, "completion_tokens": 12, "total_tokens": 2122,
         "prompt_tokens_details": {"cached_tokens": 2048},
         "x_anthropic": {"input_tokens": 12, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2048,
                         "output_tokens": 12}}
        """));
  }

  @Test
  @DisplayName("a plain Anthropic usage has 0 cached tokens, and no usage at all is zero tokens")
  void toCanonicalWithoutCache() {
    assertThat(
            AnthropicUsage.toCanonical(
                new JsonObject().put("input_tokens", 25).put("output_tokens", 15)))
        .isEqualTo(
            new Usage(
                25, 15, 40, 0, new JsonObject().put("input_tokens", 25).put("output_tokens", 15)));
    assertThat(AnthropicUsage.toCanonical(null)).isEqualTo(Usage.of(0, 0));
  }

  @Test
  @DisplayName(
      "an Anthropic usage whose counts still agree comes back to an Anthropic client exactly as it came")
  void originalKeptWhileCountsAgree() {
    JsonObject original = WITH_CACHE.copy().put("service_tier", "standard");

    JsonObject back =
        AnthropicUsage.toAnthropic(Usage.of(AnthropicUsage.toCanonical(original).toJson()));

    assertThat(back).isEqualTo(original);
    assertThat(AnthropicUsage.inputTokens(AnthropicUsage.toCanonical(original))).isEqualTo(12);
  }

  @Test
  @DisplayName(
      "once a policy changed the counts, the usage is derived from them, the original's cache writes kept apart")
  void changedCountsAreDerived() {
    JsonObject edited =
        AnthropicUsage.toCanonical(WITH_CACHE).toJson().put("completion_tokens", 40);

    JsonObject back = AnthropicUsage.toAnthropic(Usage.of(edited));

    assertThat(back)
        .isEqualTo(
            new JsonObject(
                """
        {"input_tokens": 12, "output_tokens": 40, "cache_read_input_tokens": 2048, "cache_creation_input_tokens": 50}
        """));
  }

  @Test
  @DisplayName(
      "an OpenAI usage in Anthropic terms: input_tokens is the prompt less its cache reads")
  void fromOpenAi() {
    assertThat(AnthropicUsage.toAnthropic(Usage.of(openAiUsage(1117, 46, 1024))))
        .isEqualTo(
            new JsonObject(
                """
        {"input_tokens": 93, "output_tokens": 46, "cache_read_input_tokens": 1024}
        """));
    assertThat(AnthropicUsage.inputTokens(Usage.of(openAiUsage(1117, 46, 1024)))).isEqualTo(93);
  }

  @Test
  @DisplayName(
      "cached_tokens 0, as OpenAI always states it, gives no cache_read_input_tokens (was 0 on whole answers)")
  void noCacheReadWhenZero() {
    assertThat(AnthropicUsage.toAnthropic(Usage.of(openAiUsage(12, 5, 0))))
        .isEqualTo(new JsonObject().put("input_tokens", 12).put("output_tokens", 5));
  }

  @Test
  @DisplayName(
      "more cached tokens than prompt tokens never makes input_tokens negative (whole answers said -4)")
  void neverNegative() {
    Usage inconsistent = Usage.of(openAiUsage(6, 3, 10));

    assertThat(AnthropicUsage.toAnthropic(inconsistent))
        .isEqualTo(
            new JsonObject(
                """
        {"input_tokens": 0, "output_tokens": 3, "cache_read_input_tokens": 10}
        """));
    assertThat(AnthropicUsage.inputTokens(inconsistent)).isZero();
    assertThat(AnthropicUsage.toAnthropic(new Usage(-5, -1, -6, -2, null)))
        .isEqualTo(new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
  }

  @Test
  @DisplayName(
      "an original that no longer agrees is not handed back as it was (streams used to keep it unchecked)")
  void disagreeingOriginalIsNotKept() {
    JsonObject stale = new JsonObject().put("input_tokens", 25).put("output_tokens", 15);
    Usage rewritten = new Usage(25, 3, 28, 0, stale);

    assertThat(AnthropicUsage.toAnthropic(rewritten))
        .isEqualTo(new JsonObject().put("input_tokens", 25).put("output_tokens", 3));
  }

  @Test
  @DisplayName("no usage at all is zero input and output tokens")
  void nullUsage() {
    assertThat(AnthropicUsage.toAnthropic(null))
        .isEqualTo(new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
    assertThat(AnthropicUsage.inputTokens(null)).isZero();
  }
}
