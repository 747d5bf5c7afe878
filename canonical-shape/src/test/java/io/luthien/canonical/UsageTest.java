package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  @DisplayName(
      "an OpenAI usage is read with its cached tokens, and its detail fields do not get in the way")
  void readsOpenAiUsage() {
    JsonObject json =
        new JsonObject(
            """
        {"prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
         "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
         "completion_tokens_details": {"reasoning_tokens": 0}}
        """);

    Usage usage = Usage.of(json);

    assertThat(usage.promptTokens()).isEqualTo(1117);
    assertThat(usage.completionTokens()).isEqualTo(46);
    assertThat(usage.totalTokens()).isEqualTo(1163);
    assertThat(usage.cachedTokens()).isEqualTo(1024);
    assertThat(usage.anthropic()).isNull();
  }

  @Test
  @DisplayName("missing counts read as 0, a missing total as the sum, and no usage object as null")
  void lenientRead() {
    assertThat(Usage.of(new JsonObject().put("prompt_tokens", 9).put("completion_tokens", "five")))
        .isEqualTo(new Usage(9, 0, 9, 0, null));
    assertThat(
            Usage.of(new JsonObject().put("prompt_tokens", 2).put("completion_tokens", 3))
                .totalTokens())
        .isEqualTo(5);
    assertThat(Usage.of((JsonObject) null)).isNull();
  }

  @Test
  @DisplayName(
      "toJson writes the canonical usage, cached tokens always stated, and reads back the same")
  void roundTrip() {
    Usage plain = Usage.of(12, 5);
    Usage withOriginal = new Usage(2110, 12, 2122, 2048, new JsonObject().put("input_tokens", 12));

    assertThat(plain.toJson())
        .isEqualTo(
            new JsonObject(
                """
        {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17, "prompt_tokens_details": {"cached_tokens": 0}}
        """));
    assertThat(Usage.of(plain.toJson())).isEqualTo(plain);
    assertThat(withOriginal.toJson().getJsonObject(Canonical.EXTRA))
        .isEqualTo(new JsonObject().put("input_tokens", 12));
    assertThat(Usage.of(withOriginal.toJson())).isEqualTo(withOriginal);
  }

  @Test
  @DisplayName(
      "the JSON toJson gives is the usage's own: editing it does not reach the Anthropic original")
  void toJsonCopiesTheOriginal() {
    JsonObject original = new JsonObject().put("input_tokens", 1);
    Usage usage = new Usage(1, 0, 1, 0, original);

    usage.toJson().getJsonObject(Canonical.EXTRA).put("input_tokens", 99);

    assertThat(original.getInteger("input_tokens")).isEqualTo(1);
  }
}
