package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static io.luthien.gateway.translate.Translations.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicResponsesTest {

  static final String TEXT =
      """
      {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant",
       "model": "claude-sonnet-4-5-20250929",
       "content": [{"type": "text", "text": "Hi! My name is Claude."}],
       "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 2095, "output_tokens": 503}}""";

  static final String TOOL_USE =
      """
      {"id": "msg_01Aq9w938a90dw8q", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
       "content": [
         {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
         {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
          "input": {"location": "San Francisco, CA", "unit": "celsius"}},
         {"type": "tool_use", "id": "toolu_02B", "name": "get_time", "input": {}}],
       "stop_reason": "tool_use", "stop_sequence": null,
       "usage": {"input_tokens": 472, "output_tokens": 89}}""";

  static final String THINKING =
      """
      {"id": "msg_01Thk", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
       "content": [
         {"type": "thinking", "thinking": "To approach this, let's think about what we know about prime numbers...",
          "signature": "zbbJhbGciOiJFU8zI1NiIsImtakcjsu38219c0.eyJoYXNoIjoiYWJjMTIzIiwiaWF0IjoxNzE0NTY3ODkwfQ"},
         {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
         {"type": "text", "text": "Yes, there are infinitely many prime numbers such that..."}],
       "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 50, "output_tokens": 1200}}""";

  static final String STOP_SEQUENCE_AND_CACHE =
      """
      {"id": "msg_01Stop", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
       "content": [{"type": "text", "text": "1, 2, 3, "}],
       "stop_reason": "stop_sequence", "stop_sequence": "4",
       "usage": {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 1000,
                 "cache_creation": {"ephemeral_5m_input_tokens": 188086, "ephemeral_1h_input_tokens": 0},
                 "output_tokens": 393, "service_tier": "standard"}}""";

  static final String SERVER_TOOL =
      """
      {"id": "msg_01Web", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
       "content": [
         {"type": "text", "text": "I'll search for that."},
         {"type": "server_tool_use", "id": "srvtoolu_01WY", "name": "web_search", "input": {"query": "claude shannon"}},
         {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WY", "content": [
           {"type": "web_search_result", "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
            "title": "Claude Shannon", "encrypted_content": "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5", "page_age": "April 30, 2025"}]},
         {"type": "text", "text": "Claude Shannon was born on April 30, 1916",
          "citations": [{"type": "web_search_result_location", "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
                         "title": "Claude Shannon", "encrypted_index": "Eo8BCioIAhgBIiQyYjQ0", "cited_text": "born April 30, 1916"}]}],
       "stop_reason": "end_turn", "stop_sequence": null, "container": null,
       "usage": {"input_tokens": 6039, "output_tokens": 931, "server_tool_use": {"web_search_requests": 1}}}""";

  static Stream<Arguments> anthropicMessages() {
    return Stream.of(
        Arguments.of("text", TEXT),
        Arguments.of("tool use", TOOL_USE),
        Arguments.of("thinking", THINKING),
        Arguments.of("stop sequence and cache usage", STOP_SEQUENCE_AND_CACHE),
        Arguments.of("server tool blocks and citations", SERVER_TOOL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("anthropicMessages")
  @DisplayName("an Anthropic message survives the trip through the canonical shape unchanged")
  void roundTrip(String name, String message) {
    JsonObject original = json(message);
    JsonObject canonical = AnthropicResponses.toCanonical(original);

    assertThat(AnthropicResponses.fromCanonical(canonical, "ignored")).isEqualTo(original);
    assertThat(original).isEqualTo(json(message));
  }

  @Test
  @DisplayName(
      "a text message becomes a chat.completion with the id, model, finish reason and usage")
  void text() {
    JsonObject completion = AnthropicResponses.toCanonical(json(TEXT));

    assertThat(completion.getString("id")).isEqualTo("chatcmpl-013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    assertThat(completion.getLong("created"))
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    assertThat(completion.getString("model")).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(completion.getJsonArray("choices"))
        .containsExactly(
            json(
                """
        {"index": 0, "message": {"role": "assistant", "content": "Hi! My name is Claude."},
         "logprobs": null, "finish_reason": "stop"}"""));
    assertThat(completion.getJsonObject("usage"))
        .isEqualTo(
            json(
                """
        {"prompt_tokens": 2095, "completion_tokens": 503, "total_tokens": 2598,
         "prompt_tokens_details": {"cached_tokens": 0},
         "x_anthropic": {"input_tokens": 2095, "output_tokens": 503}}"""));
    assertThat(completion.getJsonObject(Canonical.EXTRA))
        .isEqualTo(json("{\"stop_reason\": \"end_turn\", \"stop_sequence\": null}"));
  }

  @Test
  @DisplayName("tool_use blocks become tool_calls with call_ ids and JSON-string arguments")
  void toolUse() {
    JsonObject choice =
        AnthropicResponses.toCanonical(json(TOOL_USE)).getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");

    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(message.getString("content"))
        .isEqualTo("I'll check the current weather in San Francisco for you.");
    assertThat(message.getJsonArray("tool_calls")).hasSize(2);
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("call_01A09q90qw90lq917835lq9");
    assertThat(call.getString("type")).isEqualTo("function");
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(json("{\"location\": \"San Francisco, CA\", \"unit\": \"celsius\"}"));
  }

  @Test
  @DisplayName(
      "thinking blocks ride on the message; stop sequences and cache usage are counted the OpenAI way")
  void thinkingStopAndCache() {
    JsonObject thinking =
        AnthropicResponses.toCanonical(json(THINKING))
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message");
    JsonObject stopped = AnthropicResponses.toCanonical(json(STOP_SEQUENCE_AND_CACHE));

    assertThat(thinking.getJsonArray(Canonical.THINKING)).hasSize(2);
    assertThat(thinking.getJsonArray(Canonical.THINKING).getJsonObject(0).getString("signature"))
        .startsWith("zbbJ");
    assertThat(thinking.getString("content")).startsWith("Yes, there are infinitely many");
    assertThat(stopped.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
    assertThat(stopped.getJsonObject(Canonical.EXTRA))
        .isEqualTo(json("{\"stop_reason\": \"stop_sequence\", \"stop_sequence\": \"4\"}"));
    JsonObject usage = stopped.getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(21 + 188086 + 1000);
    assertThat(usage.getLong("completion_tokens")).isEqualTo(393);
    assertThat(usage.getLong("total_tokens")).isEqualTo(21 + 188086 + 1000 + 393);
    assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens"))
        .isEqualTo(1000);
  }

  @Test
  @DisplayName(
      "an OpenAI backend's completion becomes an Anthropic message for an Anthropic client")
  void fromOpenAiBackend() {
    JsonObject completion =
        json(
            """
        {"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1741570283,
         "model": "gpt-4o-2024-08-06", "system_fingerprint": "fp_44709d6fcb",
         "choices": [{"index": 0, "logprobs": null, "finish_reason": "tool_calls",
           "message": {"role": "assistant", "content": "Let me look.", "refusal": null, "tool_calls": [
             {"id": "call_abc123", "type": "function",
              "function": {"name": "get_current_weather", "arguments": "{\\"location\\": \\"Boston, MA\\"}"}}]}}],
         "usage": {"prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
                   "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
                   "completion_tokens_details": {"reasoning_tokens": 0}}}""");

    assertThat(AnthropicResponses.fromCanonical(completion, "claude-via-openai"))
        .isEqualTo(
            json(
                """
        {"id": "msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "type": "message", "role": "assistant",
         "model": "gpt-4o-2024-08-06",
         "content": [{"type": "text", "text": "Let me look."},
                     {"type": "tool_use", "id": "toolu_abc123", "name": "get_current_weather",
                      "input": {"location": "Boston, MA"}}],
         "stop_reason": "tool_use", "stop_sequence": null,
         "usage": {"input_tokens": 93, "output_tokens": 46, "cache_read_input_tokens": 1024}}"""));
  }

  @Test
  @DisplayName(
      "finish reasons map to stop reasons; the request's model fills in when the completion has none")
  void finishReasons() {
    JsonObject completion =
        json(
            """
        {"id": "chatcmpl-1", "choices": [{"index": 0, "finish_reason": "length",
          "message": {"role": "assistant", "content": "truncat"}}]}""");

    JsonObject message = AnthropicResponses.fromCanonical(completion, "claude-haiku-4-5");
    assertThat(message.getString("model")).isEqualTo("claude-haiku-4-5");
    assertThat(message.getString("stop_reason")).isEqualTo("max_tokens");
    assertThat(message.getJsonObject("usage"))
        .isEqualTo(json("{\"input_tokens\": 0, \"output_tokens\": 0}"));
  }

  @Test
  @DisplayName(
      "when a policy changed the answer, the kept stop reason and blocks give way to what it now says")
  void policyEdits() {
    JsonObject canonical = AnthropicResponses.toCanonical(json(SERVER_TOOL));
    JsonObject choice = canonical.getJsonArray("choices").getJsonObject(0);
    choice.getJsonObject("message").put("content", "[redacted by policy]");
    JsonObject toolCanonical = AnthropicResponses.toCanonical(json(TOOL_USE));
    JsonObject toolChoice = toolCanonical.getJsonArray("choices").getJsonObject(0);
    toolChoice.put("finish_reason", "stop").getJsonObject("message").remove("tool_calls");

    JsonObject edited = AnthropicResponses.fromCanonical(canonical, "m");
    assertThat(edited.getJsonArray("content"))
        .containsExactly(json("{\"type\": \"text\", \"text\": \"[redacted by policy]\"}"));
    JsonObject blocked = AnthropicResponses.fromCanonical(toolCanonical, "m");
    assertThat(blocked.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(blocked.getJsonArray("content")).hasSize(1);
  }

  @Test
  @DisplayName("a backend tool call whose arguments are not JSON is a 502, naming the tool call")
  void badBackendArguments() {
    JsonObject completion =
        json(
            """
        {"id": "chatcmpl-x", "model": "m", "choices": [{"index": 0, "finish_reason": "tool_calls",
          "message": {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_9", "type": "function", "function": {"name": "f", "arguments": "{oops"}}]}}]}""");

    assertThat(
            refusal(() -> AnthropicResponses.fromCanonical(completion, "m"), 502, null).message())
        .contains("'call_9'");
  }
}
