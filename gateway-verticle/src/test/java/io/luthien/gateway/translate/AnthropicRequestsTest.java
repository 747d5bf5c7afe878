package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static io.luthien.gateway.translate.Translations.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicRequestsTest {

  static final String SYSTEM_STRING =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": "You are a terse assistant.",
       "messages": [{"role": "user", "content": "Hello, Claude"}]}""";

  static final String SYSTEM_BLOCKS =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 1024,
       "system": [
         {"type": "text", "text": "You are an AI assistant tasked with analyzing literary works."},
         {"type": "text", "text": "<the entire contents of Pride and Prejudice>", "cache_control": {"type": "ephemeral"}}],
       "messages": [{"role": "user", "content": "Analyze the major themes in Pride and Prejudice."}]}""";

  static final String MULTI_TURN =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 512, "temperature": 0.2, "top_p": 0.9, "stream": true,
       "stop_sequences": ["\\n\\nHuman:", "END"],
       "messages": [
         {"role": "user", "content": "Hello there."},
         {"role": "assistant", "content": "Hi, I'm Claude. How can I help you?"},
         {"role": "user", "content": "Can you explain LLMs in plain English?"}]}""";

  static final String IMAGES =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 1024,
       "messages": [{"role": "user", "content": [
         {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQSkZJRg=="}},
         {"type": "image", "source": {"type": "url", "url": "https://upload.wikimedia.org/ant.jpg"},
          "cache_control": {"type": "ephemeral"}},
         {"type": "text", "text": "Compare these two images."}]}]}""";

  static final String TOOL_TURNS =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 1024,
       "tools": [{"name": "get_weather", "description": "Get the current weather in a given location",
                  "input_schema": {"type": "object", "properties": {"location": {"type": "string"}},
                                   "required": ["location"]},
                  "cache_control": {"type": "ephemeral"}},
                 {"name": "get_time", "input_schema": {"type": "object", "properties": {}}}],
       "messages": [
         {"role": "user", "content": "What's the weather and time in San Francisco?"},
         {"role": "assistant", "content": [
           {"type": "text", "text": "I'll check both."},
           {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
            "input": {"location": "San Francisco, CA", "unit": {"celsius": true, "digits": 1}}},
           {"type": "tool_use", "id": "toolu_01B", "name": "get_time", "input": {}}]},
         {"role": "user", "content": [
           {"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"},
           {"type": "tool_result", "tool_use_id": "toolu_01B", "is_error": true,
            "content": [{"type": "text", "text": "clock unavailable"}]},
           {"type": "text", "text": "Please answer in one sentence."}]}]}""";

  static final String UNKNOWN_TOOL_RESULT =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 100,
       "messages": [{"role": "user", "content": [
         {"type": "tool_result", "tool_use_id": "toolu_never_issued", "content": "42"}]}]}""";

  static final String THINKING =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 10000},
       "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {}}}],
       "messages": [
         {"role": "user", "content": "Weather in Paris?"},
         {"role": "assistant", "content": [
           {"type": "thinking", "thinking": "The user wants the weather; call the tool.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
           {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
           {"type": "tool_use", "id": "toolu_01X", "name": "get_weather", "input": {"city": "Paris"}}]},
         {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01X", "content": "sunny"}]}]}""";

  static final String UNKNOWN_EVERYTHING =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 300, "top_k": 5, "metadata": {"user_id": "u-123"},
       "service_tier": "auto", "future_top_level_field": {"nested": [1, 2]},
       "tools": [{"name": "lookup", "input_schema": {"type": "object"}, "type": "custom"},
                 {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}],
       "messages": [{"role": "user", "content": [
         {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "The grass is green."},
          "title": "My Document", "citations": {"enabled": true}},
         {"type": "hologram_2031", "payload": {"layers": 3}},
         {"type": "image", "source": {"type": "file", "file_id": "file_011CNha8iCJcU1wXNR6q4V8w"}},
         {"type": "text", "text": "What colour is the grass?", "citations": [], "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}]}""";

  static Stream<Arguments> anthropicRequests() {
    return Stream.of(
        Arguments.of("system string", SYSTEM_STRING),
        Arguments.of("system blocks with cache_control", SYSTEM_BLOCKS),
        Arguments.of("multi-turn with sampling and stop sequences", MULTI_TURN),
        Arguments.of("images, base64 and url", IMAGES),
        Arguments.of("tool use and tool results", TOOL_TURNS),
        Arguments.of("tool result for an unknown tool_use id", UNKNOWN_TOOL_RESULT),
        Arguments.of("thinking blocks", THINKING),
        Arguments.of("unknown blocks, server tools and top-level fields", UNKNOWN_EVERYTHING),
        Arguments.of("tool_choice auto", withToolChoice("{\"type\": \"auto\"}")),
        Arguments.of(
            "tool_choice any, no parallel",
            withToolChoice("{\"type\": \"any\", \"disable_parallel_tool_use\": true}")),
        Arguments.of(
            "tool_choice tool", withToolChoice("{\"type\": \"tool\", \"name\": \"get_weather\"}")),
        Arguments.of(
            "tool_choice auto, parallel allowed",
            withToolChoice("{\"type\": \"auto\", \"disable_parallel_tool_use\": false}")),
        Arguments.of("tool_choice none", withToolChoice("{\"type\": \"none\"}")));
  }

  static String withToolChoice(String choice) {
    return json(TOOL_TURNS).put("tool_choice", new JsonObject(choice)).encode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("anthropicRequests")
  @DisplayName("an Anthropic request survives the trip through the canonical shape unchanged")
  void roundTrip(String name, String request) {
    JsonObject original = json(request);
    AnthropicRequests.validate(original);
    JsonObject canonical = AnthropicRequests.toCanonical(original);

    assertThat(AnthropicRequests.fromCanonical(canonical)).isEqualTo(original);
    assertThat(original).isEqualTo(json(request)); // inputs are not mutated
  }

  @Test
  @DisplayName("a system string becomes one leading system message")
  void systemString() {
    JsonArray messages =
        AnthropicRequests.toCanonical(json(SYSTEM_STRING)).getJsonArray("messages");

    assertThat(messages)
        .containsExactly(
            json("{\"role\": \"system\", \"content\": \"You are a terse assistant.\"}"),
            json("{\"role\": \"user\", \"content\": \"Hello, Claude\"}"));
  }

  @Test
  @DisplayName("system blocks become text parts, cache_control kept on the part")
  void systemBlocks() {
    JsonObject system =
        AnthropicRequests.toCanonical(json(SYSTEM_BLOCKS))
            .getJsonArray("messages")
            .getJsonObject(0);

    assertThat(system)
        .isEqualTo(
            json(
                """
        {"role": "system", "content": [
          {"type": "text", "text": "You are an AI assistant tasked with analyzing literary works."},
          {"type": "text", "text": "<the entire contents of Pride and Prejudice>",
           "x_anthropic": {"cache_control": {"type": "ephemeral"}}}]}"""));
  }

  @Test
  @DisplayName("multi-turn messages, sampling fields and stop sequences map to their OpenAI names")
  void multiTurn() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(MULTI_TURN));

    assertThat(canonical)
        .isEqualTo(
            json(
                """
        {"model": "claude-sonnet-4-5", "max_tokens": 512, "temperature": 0.2, "top_p": 0.9, "stream": true,
         "stop": ["\\n\\nHuman:", "END"],
         "messages": [
           {"role": "user", "content": "Hello there."},
           {"role": "assistant", "content": "Hi, I'm Claude. How can I help you?"},
           {"role": "user", "content": "Can you explain LLMs in plain English?"}]}"""));
  }

  @Test
  @DisplayName("images become image_url parts: base64 as a data URL, url as the url")
  void images() {
    JsonArray parts =
        AnthropicRequests.toCanonical(json(IMAGES))
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");

    assertThat(parts)
        .containsExactly(
            json(
                "{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/jpeg;base64,/9j/4AAQSkZJRg==\"}}"),
            json(
                """
            {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/ant.jpg"},
             "x_anthropic": {"cache_control": {"type": "ephemeral"}}}"""),
            json("{\"type\": \"text\", \"text\": \"Compare these two images.\"}"));
  }

  @Test
  @DisplayName(
      "tools become functions; tool_use becomes tool_calls and tool_result tool messages, ahead of the user's text")
  void toolTurns() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(TOOL_TURNS));

    assertThat(canonical.getJsonArray("tools").getJsonObject(0))
        .isEqualTo(
            json(
                """
        {"type": "function", "function": {"name": "get_weather",
          "description": "Get the current weather in a given location",
          "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}},
         "x_anthropic": {"cache_control": {"type": "ephemeral"}}}"""));
    JsonArray messages = canonical.getJsonArray("messages");
    assertThat(messages).hasSize(5);
    JsonObject assistant = messages.getJsonObject(1);
    assertThat(assistant.getJsonArray("content"))
        .containsExactly(json("{\"type\": \"text\", \"text\": \"I'll check both.\"}"));
    JsonObject weatherCall = assistant.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(weatherCall.getString("id")).isEqualTo("call_01A09q90qw90lq917835lq9");
    assertThat(weatherCall.getString("type")).isEqualTo("function");
    assertThat(weatherCall.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(weatherCall.getJsonObject("function").getString("arguments")))
        .isEqualTo(
            json(
                "{\"location\": \"San Francisco, CA\", \"unit\": {\"celsius\": true, \"digits\": 1}}"));
    assertThat(
            assistant
                .getJsonArray("tool_calls")
                .getJsonObject(1)
                .getJsonObject("function")
                .getString("arguments"))
        .isEqualTo("{}");
    assertThat(messages.getJsonObject(2))
        .isEqualTo(
            json(
                "{\"role\": \"tool\", \"tool_call_id\": \"call_01A09q90qw90lq917835lq9\", \"content\": \"15 degrees\"}"));
    assertThat(messages.getJsonObject(3))
        .isEqualTo(
            json(
                """
        {"role": "tool", "tool_call_id": "call_01B", "content": [{"type": "text", "text": "clock unavailable"}],
         "x_anthropic": {"is_error": true}}"""));
    assertThat(messages.getJsonObject(4))
        .isEqualTo(
            json(
                "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Please answer in one sentence.\"}]}"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("toolChoices")
  @DisplayName(
      "each tool_choice maps to its OpenAI form; disable_parallel_tool_use to parallel_tool_calls")
  void toolChoice(String anthropic, String openAi, Boolean parallel) {
    JsonObject canonical = AnthropicRequests.toCanonical(json(withToolChoice(anthropic)));

    assertThat(canonical.getValue("tool_choice"))
        .isEqualTo(json("{\"v\": " + openAi + "}").getValue("v"));
    assertThat(canonical.getValue("parallel_tool_calls")).isEqualTo(parallel);
    assertThat(canonical.containsKey(Canonical.EXTRA)).isFalse();
  }

  static Stream<Arguments> toolChoices() {
    return Stream.of(
        Arguments.of("{\"type\": \"auto\"}", "\"auto\"", null),
        Arguments.of("{\"type\": \"any\"}", "\"required\"", null),
        Arguments.of("{\"type\": \"none\"}", "\"none\"", null),
        Arguments.of(
            "{\"type\": \"tool\", \"name\": \"get_weather\"}",
            "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}",
            null),
        Arguments.of(
            "{\"type\": \"auto\", \"disable_parallel_tool_use\": true}", "\"auto\"", false),
        Arguments.of(
            "{\"type\": \"tool\", \"name\": \"get_weather\", \"disable_parallel_tool_use\": true}",
            "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}",
            false));
  }

  @Test
  @DisplayName("a tool_result for a tool_use id nobody issued passes upstream unchanged")
  void unknownToolResult() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(UNKNOWN_TOOL_RESULT));

    assertThat(canonical.getJsonArray("messages"))
        .containsExactly(
            json(
                "{\"role\": \"tool\", \"tool_call_id\": \"call_never_issued\", \"content\": \"42\"}"));
    assertThat(
            AnthropicRequests.fromCanonical(canonical)
                .getJsonArray("messages")
                .getJsonObject(0)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("tool_use_id"))
        .isEqualTo("toolu_never_issued");
  }

  @Test
  @DisplayName("thinking blocks ride on the assistant message, in order, with their signatures")
  void thinking() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(THINKING));
    JsonObject assistant = canonical.getJsonArray("messages").getJsonObject(1);

    assertThat(assistant.getValue("content")).isNull();
    assertThat(assistant.getJsonArray(Canonical.THINKING))
        .containsExactly(
            json(
                """
            {"type": "thinking", "thinking": "The user wants the weather; call the tool.",
             "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}"""),
            json(
                "{\"type\": \"redacted_thinking\", \"data\": \"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP\"}"));
    assertThat(canonical.getJsonObject(Canonical.EXTRA))
        .isEqualTo(json("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 10000}}"));
  }

  @Test
  @DisplayName(
      "unknown blocks are kept whole; unknown top-level fields and server tools ride in x_anthropic")
  void unknownsKept() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(UNKNOWN_EVERYTHING));
    JsonArray parts = canonical.getJsonArray("messages").getJsonObject(0).getJsonArray("content");

    assertThat(parts.getJsonObject(0).getString("type")).isEqualTo(Canonical.BLOCK_PART);
    assertThat(parts.getJsonObject(0).getJsonObject("block").getString("type"))
        .isEqualTo("document");
    assertThat(parts.getJsonObject(1))
        .isEqualTo(
            json(
                "{\"type\": \"x_anthropic_block\", \"block\": {\"type\": \"hologram_2031\", \"payload\": {\"layers\": 3}}}"));
    assertThat(
            parts.getJsonObject(2).getJsonObject("block").getJsonObject("source").getString("type"))
        .isEqualTo("file");
    assertThat(parts.getJsonObject(3))
        .isEqualTo(
            json(
                """
        {"type": "text", "text": "What colour is the grass?",
         "x_anthropic": {"citations": [], "cache_control": {"type": "ephemeral", "ttl": "1h"}}}"""));
    assertThat(canonical.getJsonArray("tools"))
        .containsExactly(
            json(
                """
        {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}},
         "x_anthropic": {"type": "custom"}}"""));
    assertThat(canonical.getJsonObject(Canonical.EXTRA))
        .isEqualTo(
            json(
                """
        {"top_k": 5, "metadata": {"user_id": "u-123"}, "service_tier": "auto",
         "future_top_level_field": {"nested": [1, 2]},
         "tools_extra": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 5}]}"""));
  }

  @Test
  @DisplayName("a request without max_tokens is refused with a 400 naming max_tokens")
  void missingMaxTokens() {
    JsonObject request = json(SYSTEM_STRING);
    request.remove("max_tokens");

    ApiError error = refusal(() -> AnthropicRequests.validate(request), 400, "max_tokens");
    assertThat(error.type()).isEqualTo("invalid_request_error");
    assertThat(error.code()).isEqualTo("invalid_request");
    assertThat(error.message()).isEqualTo("missing required field 'max_tokens'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @DisplayName("each malformed Anthropic request is refused with a 400 naming the field")
  void badRequests(String change, String param, String message) {
    JsonObject request = json(MULTI_TURN).mergeIn(json(change));

    ApiError error = refusal(() -> AnthropicRequests.validate(request), 400, param);
    assertThat(error.message()).isEqualTo(message);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            "{\"max_tokens\": 0}", "max_tokens", "'max_tokens' must be a positive integer"),
        Arguments.of(
            "{\"max_tokens\": \"1024\"}", "max_tokens", "'max_tokens' must be a positive integer"),
        Arguments.of(
            "{\"max_tokens\": 10.5}", "max_tokens", "'max_tokens' must be a positive integer"),
        Arguments.of("{\"model\": null}", "model", "missing required field 'model'"),
        Arguments.of("{\"model\": 7}", "model", "'model' must be a non-empty string"),
        Arguments.of("{\"messages\": null}", "messages", "missing required field 'messages'"),
        Arguments.of(
            "{\"messages\": \"hi\"}", "messages", "'messages' must be an array of message objects"),
        Arguments.of("{\"messages\": []}", "messages", "'messages' must not be empty"),
        Arguments.of("{\"messages\": [\"hi\"]}", "messages[0]", "'messages[0]' must be an object"),
        Arguments.of(
            "{\"messages\": [{\"role\": 7, \"content\": \"x\"}]}",
            "messages[0].role",
            "'messages[0].role' must be a non-empty string"),
        Arguments.of(
            "{\"messages\": [{\"content\": \"x\"}]}",
            "messages[0].role",
            "'messages[0].role' must be a non-empty string"),
        Arguments.of(
            "{\"messages\": [{\"role\": \"user\"}]}",
            "messages[0].content",
            "'messages[0].content' must be a string or an array of content blocks"));
  }

  @Test
  @DisplayName("a missing body is refused")
  void noBody() {
    refusal(() -> AnthropicRequests.validate(null), 400, null);
  }
}
