package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static io.luthien.gateway.translate.Translations.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI client's request (the canonical shape with no extensions) on its way to an Anthropic
 * backend.
 */
class CanonicalToAnthropicTest {

  static final String OPENAI_TOOL_CONVERSATION =
      """
      {"model": "claude-sonnet-4-5", "max_completion_tokens": 800, "temperature": 0.7, "stop": "STOP",
       "n": 1, "frequency_penalty": 0.5, "seed": 7, "stream_options": {"include_usage": true}, "user": "alice",
       "tools": [{"type": "function", "function": {"name": "get_current_weather",
         "description": "Get the current weather in a given location",
         "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}},
                 {"type": "function", "function": {"name": "ping"}}],
       "tool_choice": {"type": "function", "function": {"name": "get_current_weather"}},
       "parallel_tool_calls": false,
       "messages": [
         {"role": "system", "content": "You are a helpful assistant."},
         {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
         {"role": "user", "content": [
           {"type": "text", "text": "What is in this image, and what's the weather in Boston and Paris?"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"}},
           {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "call_abc123", "type": "function",
            "function": {"name": "get_current_weather", "arguments": "{\\"location\\": \\"Boston, MA\\"}"}},
           {"id": "call_def456", "type": "function",
            "function": {"name": "get_current_weather", "arguments": "{\\"location\\": \\"Paris\\"}"}}]},
         {"role": "tool", "tool_call_id": "call_abc123", "content": "22C and sunny"},
         {"role": "tool", "tool_call_id": "call_def456", "content": [{"type": "text", "text": "18C, rain"}]},
         {"role": "user", "content": "Thanks! And tomorrow?"}]}""";

  @Test
  @DisplayName("an OpenAI conversation with tools becomes the equivalent Anthropic request")
  void openAiConversation() {
    JsonObject anthropic = AnthropicRequests.fromCanonical(json(OPENAI_TOOL_CONVERSATION));

    assertThat(anthropic)
        .isEqualTo(
            json(
                """
        {"model": "claude-sonnet-4-5", "max_tokens": 800, "temperature": 0.7, "stop_sequences": ["STOP"],
         "metadata": {"user_id": "alice"},
         "system": [{"type": "text", "text": "You are a helpful assistant."},
                    {"type": "text", "text": "Answer in French."}],
         "tools": [{"name": "get_current_weather", "description": "Get the current weather in a given location",
                    "input_schema": {"type": "object", "properties": {"location": {"type": "string"}},
                                     "required": ["location"]}},
                   {"name": "ping", "input_schema": {"type": "object", "properties": {}}}],
         "tool_choice": {"type": "tool", "name": "get_current_weather", "disable_parallel_tool_use": true},
         "messages": [
           {"role": "user", "content": [
             {"type": "text", "text": "What is in this image, and what's the weather in Boston and Paris?"},
             {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
             {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}]},
           {"role": "assistant", "content": [
             {"type": "tool_use", "id": "toolu_abc123", "name": "get_current_weather", "input": {"location": "Boston, MA"}},
             {"type": "tool_use", "id": "toolu_def456", "name": "get_current_weather", "input": {"location": "Paris"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "toolu_abc123", "content": "22C and sunny"},
             {"type": "tool_result", "tool_use_id": "toolu_def456", "content": [{"type": "text", "text": "18C, rain"}]},
             {"type": "text", "text": "Thanks! And tomorrow?"}]}]}"""));
  }

  @Test
  @DisplayName(
      "a single system string stays a string; max_tokens defaults to 4096 when the client named none")
  void defaults() {
    JsonObject anthropic =
        AnthropicRequests.fromCanonical(
            json(
                """
        {"model": "claude-haiku-4-5", "messages": [
          {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
          {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Bye"}]}"""));

    assertThat(anthropic)
        .isEqualTo(
            json(
                """
        {"model": "claude-haiku-4-5", "max_tokens": 4096, "system": "Be brief.", "messages": [
          {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
          {"role": "user", "content": "Bye"}]}"""));
  }

  @Test
  @DisplayName("an assistant text with tool calls becomes a text block followed by tool_use blocks")
  void assistantTextAndToolCalls() {
    JsonObject anthropic =
        AnthropicRequests.fromCanonical(
            json(
                """
        {"model": "m", "tool_choice": "required", "messages": [{"role": "user", "content": "Go"},
          {"role": "assistant", "content": "Checking.", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]}]}"""));

    assertThat(anthropic.getJsonArray("messages").getJsonObject(1).getJsonArray("content"))
        .containsExactly(
            json("{\"type\": \"text\", \"text\": \"Checking.\"}"),
            json("{\"type\": \"tool_use\", \"id\": \"toolu_1\", \"name\": \"f\", \"input\": {}}"));
    assertThat(anthropic.getJsonObject("tool_choice")).isEqualTo(json("{\"type\": \"any\"}"));
  }

  @Test
  @DisplayName(
      "parallel_tool_calls false without a tool_choice becomes auto with parallel tool use disabled")
  void parallelOff() {
    JsonObject anthropic =
        AnthropicRequests.fromCanonical(
            json(
                """
        {"model": "m", "parallel_tool_calls": false, "messages": [{"role": "user", "content": "Go"}],
         "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]}"""));

    assertThat(anthropic.getJsonObject("tool_choice"))
        .isEqualTo(json("{\"type\": \"auto\", \"disable_parallel_tool_use\": true}"));
  }

  @Test
  @DisplayName("tool-call arguments that are not JSON are refused with a 400 naming the tool call")
  void badArguments() {
    JsonObject canonical =
        json(
            """
        {"model": "m", "messages": [{"role": "user", "content": "Go"},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_ok", "type": "function", "function": {"name": "f", "arguments": "{}"}},
            {"id": "call_broken", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\": "}}]}]}""");

    ApiError error =
        refusal(
            () -> AnthropicRequests.fromCanonical(canonical),
            400,
            "messages[1].tool_calls[1].function.arguments");
    assertThat(error.message())
        .isEqualTo("tool call 'call_broken' has arguments that are not a JSON object");
  }

  @Test
  @DisplayName("n greater than 1 is refused with a 400 naming n")
  void severalChoices() {
    ApiError error =
        refusal(
            () ->
                AnthropicRequests.fromCanonical(
                    json(
                        "{\"model\": \"m\", \"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")),
            400,
            "n");
    assertThat(error.message()).contains("'n'");
  }

  @Test
  @DisplayName("OpenAI-only content parts, roles and tool types are refused with a 400 naming them")
  void untranslatable() {
    ApiError audio =
        refusal(
            () ->
                AnthropicRequests.fromCanonical(
                    json(
                        """
        {"model": "m", "messages": [{"role": "user", "content": [
          {"type": "input_audio", "input_audio": {"data": "UklGR", "format": "wav"}}]}]}""")),
            400,
            "messages[0].content[0].type");
    assertThat(audio.message())
        .isEqualTo("content part type 'input_audio' cannot be translated to the Anthropic format");

    refusal(
        () ->
            AnthropicRequests.fromCanonical(
                json(
                    "{\"model\": \"m\", \"messages\": [{\"role\": \"function\", \"name\": \"f\", \"content\": \"1\"}]}")),
        400,
        "messages[0].role");
    refusal(
        () ->
            AnthropicRequests.fromCanonical(
                json(
                    """
        {"model": "m", "messages": [{"role": "user", "content": "Hi"}],
         "tools": [{"type": "custom", "custom": {"name": "grammar"}}]}""")),
        400,
        "tools[0].type");
    refusal(
        () ->
            AnthropicRequests.fromCanonical(
                json(
                    "{\"model\": \"m\", \"tool_choice\": \"sometimes\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")),
        400,
        "tool_choice");
    refusal(
        () ->
            AnthropicRequests.fromCanonical(
                json(
                    """
        {"model": "m", "messages": [{"role": "user", "content": [
          {"type": "image_url", "image_url": {"url": "data:image/svg+xml,<svg/>"}}]}]}""")),
        400,
        "messages[0].content[0].image_url.url");
  }
}
