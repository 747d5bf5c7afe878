package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenAI's reasoning models refuse {@code max_tokens} ("Unsupported parameter: 'max_tokens' is not
 * supported with this model. Use 'max_completion_tokens' instead."); the AI SDK's OpenAI provider
 * renames it for them, and so does the gateway for any client.
 */
class ReasoningModelTranslationTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "o1",
        "o1-mini",
        "o3",
        "o3-mini",
        "o4-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5.1",
        "openai/o3"
      })
  void reasoningModelGetsMaxCompletionTokens(String model) {
    JsonObject anthropic =
        json("""
                {"max_tokens": 2048, "messages": [{"role": "user", "content": "hi"}]}""")
            .put("model", model);

    JsonObject sent = OpenAiRequests.forOpenAiBackend(AnthropicRequests.toCanonical(anthropic));

    assertThat(sent.containsKey("max_tokens")).isFalse();
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(2048);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"o3", "gpt-5-mini"})
  void reasoningModelGetsDefaultSampling(String model) {
    JsonObject anthropic =
        json("""
                {"max_tokens": 512, "temperature": 0.7, "top_p": 0.9,
                 "messages": [{"role": "user", "content": "hi"}]}""")
            .put("model", model);

    JsonObject sent = OpenAiRequests.forOpenAiBackend(AnthropicRequests.toCanonical(anthropic));

    assertThat(sent.containsKey("temperature")).isFalse();
    assertThat(sent.containsKey("top_p")).isFalse();
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(512);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest"})
  void otherModelsKeepSampling(String model) {
    JsonObject request =
        json("""
                {"temperature": 0.2, "messages": [{"role": "user", "content": "hi"}]}""")
            .put("model", model);

    assertThat(OpenAiRequests.forOpenAiBackend(request).getDouble("temperature")).isEqualTo(0.2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "llama-3.1-8b", "omni"})
  void otherModelsKeepMaxTokens(String model) {
    JsonObject request =
        json("""
                {"max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}""")
            .put("model", model);

    JsonObject sent = OpenAiRequests.forOpenAiBackend(request);

    assertThat(sent).isSameAs(request);
    assertThat(sent.getInteger("max_tokens")).isEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt-5", "o3"})
  void clientsOwnMaxCompletionTokensWins(String model) {
    JsonObject request =
        json("""
                {"max_tokens": 100, "max_completion_tokens": 300,
                 "messages": [{"role": "user", "content": "hi"}]}""")
            .put("model", model);

    JsonObject sent = OpenAiRequests.forOpenAiBackend(request);

    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(300);
    assertThat(sent.containsKey("max_tokens")).isFalse();
    assertThat(request.getInteger("max_tokens"))
        .as("the policy's request is not changed")
        .isEqualTo(100);
  }
}
