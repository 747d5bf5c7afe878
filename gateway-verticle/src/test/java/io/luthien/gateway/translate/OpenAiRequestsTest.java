package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.extensions;
import static io.luthien.gateway.translate.Translations.json;
import static io.luthien.gateway.translate.Translations.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {

  private static JsonObject forOpenAi(String anthropicRequest) {
    return OpenAiRequests.forOpenAiBackend(AnthropicRequests.toCanonical(json(anthropicRequest)));
  }

  @Test
  @DisplayName(
      "an Anthropic conversation with tools reaches an OpenAI backend as plain chat completions")
  void toolConversation() {
    JsonObject openAi =
        forOpenAi(
            AnthropicRequestsTest.withToolChoice(
                "{\"type\": \"tool\", \"name\": \"get_weather\", \"disable_parallel_tool_use\": true}"));

    assertThat(extensions(openAi)).isEmpty();
    assertThat(openAi.getJsonArray("tools").getJsonObject(0))
        .isEqualTo(
            json(
                """
        {"type": "function", "function": {"name": "get_weather",
          "description": "Get the current weather in a given location",
          "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}"""));
    assertThat(openAi.getValue("tool_choice"))
        .isEqualTo(json("{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}"));
    assertThat(openAi.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(openAi.getJsonArray("messages").getJsonObject(3))
        .isEqualTo(
            json(
                """
        {"role": "tool", "tool_call_id": "call_01B", "content": [{"type": "text", "text": "clock unavailable"}]}"""));
  }

  @Test
  @DisplayName("system blocks and images lose their cache_control and keep their text and urls")
  void systemAndImages() {
    JsonObject system =
        forOpenAi(AnthropicRequestsTest.SYSTEM_BLOCKS).getJsonArray("messages").getJsonObject(0);
    JsonObject user =
        forOpenAi(AnthropicRequestsTest.IMAGES).getJsonArray("messages").getJsonObject(0);

    assertThat(system.getJsonArray("content").getJsonObject(1))
        .isEqualTo(
            json(
                "{\"type\": \"text\", \"text\": \"<the entire contents of Pride and Prejudice>\"}"));
    assertThat(user.getJsonArray("content").getJsonObject(1))
        .isEqualTo(
            json(
                "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://upload.wikimedia.org/ant.jpg\"}}"));
    assertThat(extensions(user)).isEmpty();
  }

  @Test
  @DisplayName("thinking is dropped silently, and so are Anthropic-only top-level fields")
  void thinkingDropped() {
    JsonObject openAi = forOpenAi(AnthropicRequestsTest.THINKING);
    JsonObject assistant = openAi.getJsonArray("messages").getJsonObject(1);

    assertThat(extensions(openAi)).isEmpty();
    assertThat(openAi.containsKey("thinking")).isFalse();
    assertThat(assistant.getValue("content")).isNull();
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id"))
        .isEqualTo("call_01X");
  }

  @Test
  @DisplayName(
      "a thinking block kept as a part is dropped; a message left empty keeps a valid content")
  void thinkingPartDropped() {
    JsonObject openAi =
        OpenAiRequests.forOpenAiBackend(
            json(
                """
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"},
          {"role": "assistant", "content": [{"type": "x_anthropic_block",
            "block": {"type": "redacted_thinking", "data": "abc"}}]}]}"""));

    assertThat(openAi.getJsonArray("messages").getJsonObject(1))
        .isEqualTo(json("{\"role\": \"assistant\", \"content\": \"\"}"));
  }

  @Test
  @DisplayName(
      "an unknown block type is refused with a 400 naming the type when it must become OpenAI")
  void unknownBlock() {
    ApiError error =
        refusal(
            () ->
                forOpenAi(
                    """
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [
          {"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
          {"role": "user", "content": [{"type": "text", "text": "see"}, {"type": "hologram_2031", "payload": {}}]}]}"""),
            400,
            "messages[2].content[1].type");

    assertThat(error.code()).isEqualTo("unsupported_content_block");
    assertThat(error.message())
        .isEqualTo("content block type 'hologram_2031' cannot be translated to the OpenAI format");
  }

  @Test
  @DisplayName("a known Anthropic-only block (document) is refused the same way")
  void documentBlock() {
    ApiError error =
        refusal(
            () -> forOpenAi(AnthropicRequestsTest.UNKNOWN_EVERYTHING),
            400,
            "messages[0].content[0].type");
    assertThat(error.message()).contains("'document'");
  }

  @Test
  @DisplayName("fields the gateway does not know pass to the OpenAI backend untouched")
  void unknownOpenAiFields() {
    JsonObject request =
        json(
            """
        {"model": "gpt-4o", "max_completion_tokens": 50, "seed": 7, "logit_bias": {"50256": -100},
         "response_format": {"type": "json_object"}, "reasoning_effort": "low",
         "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"},
           {"type": "input_audio", "input_audio": {"data": "UklGR", "format": "wav"}}]}]}""");

    assertThat(OpenAiRequests.forOpenAiBackend(request)).isEqualTo(request);
  }
}
