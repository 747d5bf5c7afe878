package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.extensions;
import static io.luthien.gateway.translate.Translations.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiResponsesTest {

  @Test
  @DisplayName(
      "an OpenAI client gets an Anthropic backend's answer with no extension keys, inside or out")
  void stripped() {
    JsonObject canonical = AnthropicResponses.toCanonical(json(AnthropicResponsesTest.THINKING));
    JsonObject withTools = AnthropicResponses.toCanonical(json(AnthropicResponsesTest.TOOL_USE));
    JsonObject withServerTools =
        AnthropicResponses.toCanonical(json(AnthropicResponsesTest.SERVER_TOOL));
    withTools
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getJsonArray("tool_calls")
        .getJsonObject(0)
        .put(Canonical.EXTRA, new JsonObject().put("cache_control", new JsonObject()));

    JsonObject openAi = OpenAiResponses.forOpenAiClient(canonical);
    assertThat(extensions(openAi)).isEmpty();
    assertThat(extensions(OpenAiResponses.forOpenAiClient(withTools))).isEmpty();
    assertThat(extensions(OpenAiResponses.forOpenAiClient(withServerTools))).isEmpty();
    assertThat(openAi.getJsonArray("choices").getJsonObject(0))
        .isEqualTo(
            json(
                """
        {"index": 0, "logprobs": null, "finish_reason": "stop",
         "message": {"role": "assistant", "content": "Yes, there are infinitely many prime numbers such that..."}}"""));
    assertThat(openAi.getJsonObject("usage"))
        .isEqualTo(
            json(
                """
        {"prompt_tokens": 50, "completion_tokens": 1200, "total_tokens": 1250,
         "prompt_tokens_details": {"cached_tokens": 0}}"""));
    assertThat(extensions(canonical)).isNotEmpty(); // the canonical answer itself is left alone
  }

  @Test
  @DisplayName("an OpenAI backend's answer passes to an OpenAI client unchanged")
  void untouched() {
    JsonObject completion =
        json(
            """
        {"id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288, "model": "gpt-4o-mini",
         "system_fingerprint": "fp_44709d6fcb", "service_tier": "default",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there", "refusal": null,
           "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21,
           "completion_tokens_details": {"reasoning_tokens": 0, "accepted_prediction_tokens": 0}}}""");

    assertThat(OpenAiResponses.forOpenAiClient(completion)).isEqualTo(completion);
  }
}
