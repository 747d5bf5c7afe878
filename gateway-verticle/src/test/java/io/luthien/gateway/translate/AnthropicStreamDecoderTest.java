package io.luthien.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();

  @Test
  @DisplayName(
      "a text stream becomes a role chunk, content chunks, a finish chunk and a usage chunk, all with one id")
  void text() {
    List<JsonObject> chunks = decode(AnthropicStreams.TEXT);

    assertThat(chunks).hasSize(5);
    assertThat(chunks)
        .allSatisfy(
            chunk -> {
              assertThat(chunk.getString("id")).isEqualTo("chatcmpl-01ABCxyz");
              assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
              assertThat(chunk.getString("model")).isEqualTo("claude-sonnet-4-5");
              assertThat(chunk.getLong("created")).isEqualTo(chunks.get(0).getLong("created"));
            });
    assertThat(chunks.get(0).getLong("created"))
        .isCloseTo(System.currentTimeMillis() / 1000, within(5));
    assertThat(choice(chunks.get(0)))
        .isEqualTo(
            new JsonObject(
                """
        {"index": 0, "delta": {"role": "assistant"}, "finish_reason": null}
        """));
    assertThat(chunks.get(0).getJsonObject(Canonical.EXTRA))
        .isEqualTo(
            new JsonObject(
                """
        {"usage": {"input_tokens": 25, "output_tokens": 1}}
        """));
    assertThat(choice(chunks.get(1)).getJsonObject("delta"))
        .isEqualTo(new JsonObject("{\"content\": \"Hello\"}"));
    assertThat(choice(chunks.get(2)).getJsonObject("delta"))
        .isEqualTo(new JsonObject("{\"content\": \"!\"}"));
    JsonObject finish = chunks.get(3);
    assertThat(choice(finish))
        .isEqualTo(new JsonObject("{\"index\": 0, \"delta\": {}, \"finish_reason\": \"stop\"}"));
    assertThat(finish.containsKey("usage")).isFalse();
    JsonObject last = chunks.get(4);
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(last.getString("id")).isEqualTo("chatcmpl-01ABCxyz");
    assertThat(last.getJsonObject("usage"))
        .isEqualTo(
            new JsonObject(
                """
        {"prompt_tokens": 25, "completion_tokens": 15, "total_tokens": 40,
         "prompt_tokens_details": {"cached_tokens": 0},
         "x_anthropic": {"input_tokens": 25, "output_tokens": 15}}
        """));
    assertThat(finish.getJsonObject(Canonical.EXTRA))
        .isEqualTo(
            new JsonObject(
                """
        {"stop_reason": "end_turn", "stop_sequence": null}
        """));
  }

  @Test
  @DisplayName(
      "tool_use blocks become tool_calls deltas numbered 0, 1 with call_ ids, arguments routed by block")
  void toolUse() {
    List<JsonObject> chunks = decode(AnthropicStreams.TEXT_THEN_TWO_TOOLS);

    List<JsonObject> toolDeltas =
        withChoices(chunks).stream()
            .map(chunk -> choice(chunk).getJsonObject("delta"))
            .filter(delta -> delta.containsKey("tool_calls"))
            .map(delta -> delta.getJsonArray("tool_calls").getJsonObject(0))
            .toList();
    assertThat(toolDeltas)
        .containsExactly(
            new JsonObject(
                """
            {"index": 0, "id": "call_01T1x1fJ34qAmk2tNTrN7Up6", "type": "function",
             "function": {"name": "get_weather", "arguments": ""}}
            """),
            new JsonObject(
                "{\"index\": 0, \"function\": {\"arguments\": \"{\\\"location\\\": \\\"San Fra\"}}"),
            new JsonObject("{\"index\": 0, \"function\": {\"arguments\": \"ncisco, CA\\\"}\"}}"),
            new JsonObject(
                """
            {"index": 1, "id": "call_01Uu2cVRp9zr3Sbr7pJqq9Ty", "type": "function",
             "function": {"name": "get_time", "arguments": ""}}
            """),
            new JsonObject(
                "{\"index\": 1, \"function\": {\"arguments\": \"{\\\"timezone\\\": \\\"PST\\\"}\"}}"));
    assertThat(choice(chunks.get(1)).getJsonObject("delta").getString("content"))
        .isEqualTo("Okay, let me check.");
    JsonObject finish = chunks.get(chunks.size() - 2);
    assertThat(choice(finish).getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(finish.getJsonObject(Canonical.EXTRA).getString("stop_reason"))
        .isEqualTo("tool_use");
  }

  @Test
  @DisplayName("thinking and redacted_thinking blocks become thinking deltas, signature included")
  void thinking() {
    List<JsonObject> chunks = decode(AnthropicStreams.THINKING_THEN_TEXT);

    List<JsonObject> thinking =
        withChoices(chunks).stream()
            .map(chunk -> choice(chunk).getJsonObject("delta"))
            .filter(delta -> delta.containsKey(Canonical.THINKING_DELTA))
            .map(delta -> delta.getJsonObject(Canonical.THINKING_DELTA))
            .toList();
    assertThat(thinking)
        .containsExactly(
            new JsonObject(
                "{\"type\": \"redacted_thinking\", \"data\": \"EmwKAhgBEgy3va3pzix/LafPsn4a\"}"),
            new JsonObject("{\"type\": \"thinking_start\"}"),
            new JsonObject(
                "{\"type\": \"thinking_delta\", \"thinking\": \"Let me solve this step by step:\\n\\n1.\"}"),
            new JsonObject(
                "{\"type\": \"thinking_delta\", \"thinking\": \" First break down 27 * 453\"}"),
            new JsonObject(
                """
            {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}
            """));
    assertThat(withChoices(chunks))
        .filteredOn(chunk -> choice(chunk).getJsonObject("delta").containsKey("content"))
        .extracting(chunk -> choice(chunk).getJsonObject("delta").getString("content"))
        .containsExactly("27 * 453 = 12,231");
  }

  @Test
  @DisplayName(
      "cache usage adds up into prompt_tokens, cached_tokens is the cache read, the original rides along")
  void cacheUsage() {
    List<JsonObject> chunks = decode(AnthropicStreams.STOP_SEQUENCE_WITH_CACHE);

    JsonObject last = chunks.get(chunks.size() - 1);
    assertThat(last.getJsonObject("usage"))
        .isEqualTo(
            new JsonObject(
                """
        {"prompt_tokens": 2110, "completion_tokens": 12, "total_tokens": 2122,
         "prompt_tokens_details": {"cached_tokens": 2048},
         "x_anthropic": {"input_tokens": 12, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2048,
                         "output_tokens": 12}}
        """));
    JsonObject finish = chunks.get(chunks.size() - 2);
    assertThat(choice(finish).getString("finish_reason")).isEqualTo("stop");
    assertThat(finish.getJsonObject(Canonical.EXTRA))
        .isEqualTo(
            new JsonObject(
                """
        {"stop_reason": "stop_sequence", "stop_sequence": "###"}
        """));
  }

  @Test
  @DisplayName(
      "the input count of message_start stays when message_delta's usage leaves it null, and the"
          + " output count is message_delta's")
  void nullInputInMessageDelta() {
    List<JsonObject> chunks =
        decode(
            List.of(
                AnthropicStreams.TEXT.get(0),
                new JsonObject(
                    """
                    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
                     "usage": {"input_tokens": null, "cache_read_input_tokens": null, "output_tokens": 9}}
                    """)));

    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(25);
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(9);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(34);
  }

  @Test
  @DisplayName(
      "ping, content_block_stop, message_stop, unknown events and an unfinished server-tool block"
          + " produce no chunk")
  void silentEvents() {
    decoder.onEvent(AnthropicStreams.TEXT.get(0));

    assertThat(decoder.onEvent(new JsonObject("{\"type\": \"ping\"}"))).isEmpty();
    assertThat(decoder.onEvent(new JsonObject("{\"type\": \"content_block_stop\", \"index\": 0}")))
        .isEmpty();
    assertThat(decoder.onEvent(new JsonObject("{\"type\": \"message_stop\"}"))).isEmpty();
    assertThat(decoder.onEvent(new JsonObject("{\"type\": \"future_event\", \"x\": 1}"))).isEmpty();
    assertThat(
            decoder.onEvent(
                new JsonObject(
                    """
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {}}}
        """)))
        .isEmpty();
    assertThat(
            decoder.onEvent(
                new JsonObject(
                    """
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": "{\\"query\\": \\"x\\"}"}}
        """)))
        .isEmpty();
    assertThat(
            decoder.onEvent(
                new JsonObject(
                    "{\"type\": \"content_block_start\", \"index\": 1,"
                        + " \"content_block\": {\"type\": \"text\", \"text\": \"Pre\"}}")))
        .extracting(chunk -> choice(chunk).getJsonObject("delta"))
        .containsExactly(new JsonObject("{\"content\": \"Pre\"}"));
  }

  @Test
  @DisplayName(
      "a server_tool_use block is one chunk once it stops, its input parsed; its result block is one"
          + " chunk too, whole")
  void serverToolBlocks() {
    decoder.onEvent(AnthropicStreams.TEXT.get(0));
    decoder.onEvent(
        new JsonObject(
            """
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {}}}
        """));
    decoder.onEvent(
        new JsonObject(
            """
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": "{\\"query\\": \\"x\\"}"}}
        """));

    List<JsonObject> use =
        decoder.onEvent(new JsonObject("{\"type\": \"content_block_stop\", \"index\": 0}"));
    JsonObject result =
        new JsonObject(
            """
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01",
         "content": [{"type": "web_search_result", "url": "https://example.com", "title": "Ex"}]}""");
    List<JsonObject> results =
        decoder.onEvent(
            new JsonObject()
                .put("type", "content_block_start")
                .put("index", 1)
                .put("content_block", result));

    assertThat(use)
        .extracting(chunk -> choice(chunk).getJsonObject("delta"))
        .containsExactly(
            new JsonObject()
                .put(
                    Canonical.SERVER_TOOL_DELTA,
                    new JsonObject(
                        "{\"type\": \"server_tool_use\", \"id\": \"srvtoolu_01\", \"name\":"
                            + " \"web_search\", \"input\": {\"query\": \"x\"}}")));
    assertThat(results)
        .extracting(chunk -> choice(chunk).getJsonObject("delta"))
        .containsExactly(new JsonObject().put(Canonical.SERVER_TOOL_DELTA, result));
  }

  @Test
  @DisplayName(
      "an error event mid-stream throws StreamError with Anthropic's error type and message")
  void errorEvent() {
    decoder.onEvent(AnthropicStreams.TEXT.get(0));

    StreamError error =
        catchThrowableOfType(
            StreamError.class,
            () ->
                decoder.onEvent(
                    new JsonObject(
                        """
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        """)));

    assertThat(error.type()).isEqualTo("overloaded_error");
    assertThat(error.getMessage()).isEqualTo("Overloaded");
    assertThat(error.toAnthropicJson())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        """));
  }

  @Test
  @DisplayName("an error event without details still throws, as an api_error")
  void bareErrorEvent() {
    StreamError error =
        catchThrowableOfType(
            StreamError.class, () -> decoder.onEvent(new JsonObject("{\"type\": \"error\"}")));

    assertThat(error.type()).isEqualTo("api_error");
    assertThat(error.getMessage()).isNotBlank();
  }

  private List<JsonObject> decode(List<JsonObject> events) {
    List<JsonObject> chunks = new ArrayList<>();
    for (JsonObject event : events) {
      chunks.addAll(decoder.onEvent(event));
    }
    return chunks;
  }

  private static List<JsonObject> withChoices(List<JsonObject> chunks) {
    return chunks.stream().filter(chunk -> !chunk.getJsonArray("choices").isEmpty()).toList();
  }

  private static JsonObject choice(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices");
    assertThat(choices).hasSize(1);
    return choices.getJsonObject(0);
  }

  private static org.assertj.core.data.Offset<Long> within(long seconds) {
    return org.assertj.core.data.Offset.offset(seconds);
  }
}
