package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.StrictAnthropicStream.accumulate;
import static io.luthien.gateway.translate.StrictAnthropicStream.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chunks as an OpenAI backend streams them (with stream_options.include_usage), encoded for an
 * Anthropic client.
 */
class AnthropicStreamEncoderTest {

  private final AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("claude-via-openai");
  private final List<AnthropicEvent> events = new ArrayList<>();

  @Test
  @DisplayName(
      "a text stream becomes message_start, ping, one text block, message_delta and message_stop")
  void textOnly() {
    feed(
        chunk(
            new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), null));
    feed(chunk(new JsonObject().put("content", "Hello"), null));
    feed(chunk(new JsonObject().put("content", ""), null));
    feed(chunk(new JsonObject().put("content", " world"), null));
    feed(chunk(new JsonObject(), "stop"));
    feed(usageChunk(12, 5, 0));
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:text",
            "delta[0]:text_delta",
            "delta[0]:text_delta",
            "stop[0]",
            "message_delta",
            "message_stop");
    assertThat(events.get(0).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "message_start", "message": {"id": "msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "type": "message",
         "role": "assistant", "content": [], "model": "gpt-4o-2024-08-06", "stop_reason": null,
         "stop_sequence": null, "usage": {"input_tokens": 0, "output_tokens": 0}}}
        """));
    assertThat(events.get(2).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
        """));
    assertThat(events.get(3).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}
        """));
    assertThat(events.get(6).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
         "usage": {"input_tokens": 12, "output_tokens": 5}}
        """));
    JsonObject message = accumulate(events);
    assertThat(message.getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "text", "text": "Hello world"}]
        """));
    assertThat(message.getJsonObject("usage"))
        .isEqualTo(new JsonObject("{\"input_tokens\":12,\"output_tokens\":5}"));
  }

  @Test
  @DisplayName("each event renders as 'event: <type>', 'data: <json>' and a blank line")
  void serverSentEvents() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Hi"), null));

    assertThat(events.get(1).toSse()).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    assertThat(events.get(3).toSse())
        .isEqualTo(
            "event: content_block_delta\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n");
  }

  @Test
  @DisplayName(
      "two tool calls streamed one after the other become two live tool_use blocks with toolu_ ids")
  void sequentialToolCalls() {
    feed(
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .putNull("content")
                .put("tool_calls", calls(call(0, "call_abc", "get_weather", ""))),
            null));
    feed(
        chunk(
            new JsonObject().put("tool_calls", calls(call(0, null, null, "{\"location\":"))),
            null));
    feed(
        chunk(new JsonObject().put("tool_calls", calls(call(0, null, null, " \"Paris\"}"))), null));
    int beforeSecond = events.size();
    feed(
        chunk(
            new JsonObject().put("tool_calls", calls(call(1, "call_def", "get_time", ""))), null));
    assertThat(shape(events.subList(beforeSecond, events.size())))
        .containsExactly("stop[0]", "start[1]:tool_use");
    feed(
        chunk(
            new JsonObject().put("tool_calls", calls(call(1, null, null, "{\"tz\": \"CET\"}"))),
            null));
    feed(chunk(new JsonObject(), "tool_calls"));
    feed(usageChunk(80, 40, 0));

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:tool_use",
            "delta[0]:input_json_delta",
            "delta[0]:input_json_delta",
            "stop[0]",
            "start[1]:tool_use",
            "delta[1]:input_json_delta",
            "stop[1]",
            "message_delta",
            "message_stop");
    assertThat(events.get(2).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "tool_use", "id": "toolu_abc", "name": "get_weather", "input": {}}}
        """));
    assertThat(events.get(3).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": "{\\"location\\":"}}
        """));
    JsonObject message = accumulate(events);
    assertThat(message.getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "tool_use", "id": "toolu_abc", "name": "get_weather", "input": {"location": "Paris"}},
         {"type": "tool_use", "id": "toolu_def", "name": "get_time", "input": {"tz": "CET"}}]
        """));
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  @DisplayName(
      "parallel tool calls with interleaved arguments: one block at a time, the later one buffered until"
          + " the first one's JSON is whole")
  void interleavedToolCalls() {
    feed(
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .put(
                    "tool_calls",
                    calls(call(0, "call_a", "get_weather", ""), call(1, "call_b", "get_time", ""))),
            null));
    feed(chunk(new JsonObject().put("tool_calls", calls(call(1, null, null, "{\"tz\":"))), null));
    feed(
        chunk(
            new JsonObject()
                .put("tool_calls", calls(call(0, null, null, "{\"city\": \"a}b\\\"\""))),
            null));
    feed(chunk(new JsonObject().put("tool_calls", calls(call(1, null, null, " \"UTC\""))), null));
    assertThat(shape(events))
        .containsExactly("message_start", "ping", "start[0]:tool_use", "delta[0]:input_json_delta");
    int beforeCompletion = events.size();
    feed(
        chunk(
            new JsonObject()
                .put("tool_calls", calls(call(0, null, null, "}"), call(1, null, null, "}"))),
            null));
    assertThat(events.subList(beforeCompletion, events.size()))
        .extracting(AnthropicEvent::data)
        .containsExactly(
            new JsonObject(
                """
                {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "}"}}
                """),
            new JsonObject("{\"type\": \"content_block_stop\", \"index\": 0}"),
            new JsonObject(
                """
                {"type": "content_block_start", "index": 1,
                 "content_block": {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {}}}
                """),
            new JsonObject(
                """
                {"type": "content_block_delta", "index": 1,
                 "delta": {"type": "input_json_delta", "partial_json": "{\\"tz\\": \\"UTC\\"}"}}
                """));
    feed(chunk(new JsonObject(), "tool_calls"));
    feed(usageChunk(50, 30, 0));

    JsonObject message = accumulate(events);
    assertThat(message.getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "tool_use", "id": "toolu_a", "name": "get_weather", "input": {"city": "a}b\\""}},
         {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {"tz": "UTC"}}]
        """));
  }

  @Test
  @DisplayName(
      "a tool call whose arguments never close is finished at the end; the buffered one follows it whole")
  void interleavedToolCallsFinishedAtTheEnd() {
    feed(
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .put("tool_calls", calls(call(0, "call_a", "f", "{\"x\":"))),
            null));
    feed(
        chunk(
            new JsonObject().put("tool_calls", calls(call(1, "call_b", "g", "{\"y\": 2}"))), null));
    feed(chunk(new JsonObject().put("tool_calls", calls(call(0, null, null, " 1"))), null));
    feed(chunk(new JsonObject(), "tool_calls"));
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:tool_use",
            "delta[0]:input_json_delta",
            "delta[0]:input_json_delta",
            "stop[0]",
            "start[1]:tool_use",
            "delta[1]:input_json_delta",
            "stop[1]",
            "message_delta",
            "message_stop");
    assertThat(events.get(4).data().getJsonObject("delta").getString("partial_json"))
        .isEqualTo(" 1");
    assertThat(events.get(9).data().getJsonObject("usage"))
        .isEqualTo(new JsonObject("{\"output_tokens\":0}"));
  }

  @Test
  @DisplayName("text then a tool call: text block 0 is stopped before tool_use block 1 starts")
  void textThenTool() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Let me check"), null));
    feed(chunk(new JsonObject().put("content", "."), null));
    feed(
        chunk(
            new JsonObject()
                .put("tool_calls", calls(call(0, "call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
            null));
    feed(chunk(new JsonObject(), "tool_calls").put("usage", usage(20, 9, 0)));

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:text",
            "delta[0]:text_delta",
            "delta[0]:text_delta",
            "stop[0]",
            "start[1]:tool_use",
            "delta[1]:input_json_delta",
            "stop[1]",
            "message_delta",
            "message_stop");
    JsonObject message = accumulate(events);
    assertThat(message.getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "text", "text": "Let me check."},
         {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}}]
        """));
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(encoder.finish()).as("already complete").isEmpty();
  }

  @Test
  @DisplayName(
      "usage in a separate chunk after finish_reason: the message ends only when the usage arrives")
  void usageAfterFinishReason() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Done"), null));
    assertThat(encoder.onChunk(chunk(new JsonObject(), "length"))).isEmpty();

    List<AnthropicEvent> last = encoder.onChunk(usageChunk(100, 7, 60));
    events.addAll(last);

    assertThat(shape(last)).containsExactly("stop[0]", "message_delta", "message_stop");
    assertThat(last.get(1).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": null},
         "usage": {"input_tokens": 40, "output_tokens": 7, "cache_read_input_tokens": 60}}
        """));
    assertThat(encoder.finish()).isEmpty();
    assertThat(encoder.onChunk(chunk(new JsonObject().put("content", "late"), null))).isEmpty();
    assertThat(accumulate(events).getJsonObject("usage"))
        .isEqualTo(
            new JsonObject(
                """
        {"input_tokens": 40, "output_tokens": 7, "cache_read_input_tokens": 60}
        """));
  }

  @Test
  @DisplayName(
      "finish_reason without any usage chunk: finish() ends the message with output_tokens 0")
  void finishReasonWithoutUsage() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Hi"), null));
    feed(chunk(new JsonObject(), "content_filter"));
    List<AnthropicEvent> last = encoder.finish();
    events.addAll(last);

    assertThat(shape(last)).containsExactly("stop[0]", "message_delta", "message_stop");
    assertThat(accumulate(events).getString("stop_reason")).isEqualTo("refusal");
  }

  @Test
  @DisplayName("a stream cut short before any finish_reason still ends well-formed, with end_turn")
  void cutShortText() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Once upon"), null));
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:text",
            "delta[0]:text_delta",
            "stop[0]",
            "message_delta",
            "message_stop");
    assertThat(accumulate(events).getString("stop_reason")).isEqualTo("end_turn");
  }

  @Test
  @DisplayName(
      "a stream cut short after tool calls ends with tool_use, so the client runs the tools it got")
  void cutShortToolCall() {
    feed(
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .put("tool_calls", calls(call(0, "call_9", "ls", "{}"))),
            null));
    events.addAll(encoder.finish());

    JsonObject message = accumulate(events);
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("id"))
        .isEqualTo("toolu_9");
  }

  @Test
  @DisplayName(
      "an upstream that sent nothing still yields a whole empty message named after the requested model")
  void nothingAtAll() {
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly("message_start", "ping", "message_delta", "message_stop");
    JsonObject message = accumulate(events);
    assertThat(message.getString("model")).isEqualTo("claude-via-openai");
    assertThat(message.getJsonArray("content")).isEmpty();
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
  }

  @Test
  @DisplayName("a role-only first chunk and empty content strings open no empty text block")
  void roleOnlyAndEmptyContent() {
    feed(chunk(new JsonObject().put("role", "assistant"), null));
    feed(chunk(new JsonObject().put("content", ""), null));
    feed(chunk(new JsonObject().putNull("content"), null));
    feed(chunk(new JsonObject().put("content", "ok"), null));
    feed(chunk(new JsonObject().put("content", ""), "stop"));
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:text",
            "delta[0]:text_delta",
            "stop[0]",
            "message_delta",
            "message_stop");
  }

  @Test
  @DisplayName(
      "thinking deltas (from an Anthropic backend) open a thinking block before the text block")
  void thinkingThenText() {
    feed(chunk(new JsonObject().put("role", "assistant"), null));
    feed(chunk(thinking(new JsonObject().put("type", "thinking_start")), null));
    feed(
        chunk(
            thinking(new JsonObject().put("type", "thinking_delta").put("thinking", "2+2")), null));
    feed(
        chunk(
            thinking(
                new JsonObject().put("type", "signature_delta").put("signature", "EqQBCgIYAhIM")),
            null));
    feed(
        chunk(
            thinking(new JsonObject().put("type", "redacted_thinking").put("data", "EmwKAhgB")),
            null));
    feed(chunk(new JsonObject().put("content", "4"), null));
    feed(chunk(new JsonObject(), "stop"));
    events.addAll(encoder.finish());

    assertThat(shape(events))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:thinking",
            "delta[0]:thinking_delta",
            "delta[0]:signature_delta",
            "stop[0]",
            "start[1]:redacted_thinking",
            "stop[1]",
            "start[2]:text",
            "delta[2]:text_delta",
            "stop[2]",
            "message_delta",
            "message_stop");
    assertThat(accumulate(events).getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "thinking", "thinking": "2+2", "signature": "EqQBCgIYAhIM"},
         {"type": "redacted_thinking", "data": "EmwKAhgB"},
         {"type": "text", "text": "4"}]
        """));
  }

  @Test
  @DisplayName("only choice 0 is encoded; a tool call without id gets a generated toolu_ id")
  void otherChoicesAndMissingIds() {
    JsonObject both = chunk(new JsonObject().put("role", "assistant").put("content", "A"), null);
    both.getJsonArray("choices")
        .add(
            new JsonObject()
                .put("index", 1)
                .put("delta", new JsonObject().put("content", "B"))
                .putNull("finish_reason"));
    feed(both);
    feed(
        chunk(
            new JsonObject().put("tool_calls", calls(call(0, null, "noop", "{}"))), "tool_calls"));
    events.addAll(encoder.finish());

    JsonObject message = accumulate(events);
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("A");
    assertThat(message.getJsonArray("content").getJsonObject(1).getString("id"))
        .matches("toolu_[0-9a-f]{32}");
  }

  @Test
  @DisplayName("a delta whose content is text parts streams their text, as a string content would")
  void textPartsDelta() {
    feed(
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .put(
                    "content",
                    new JsonArray()
                        .add(new JsonObject().put("type", "text").put("text", "Bon"))
                        .add(new JsonObject().put("type", "text").put("text", "jour"))),
            null));
    feed(chunk(new JsonObject(), "stop"));
    events.addAll(encoder.finish());

    assertThat(accumulate(events).getJsonArray("content"))
        .isEqualTo(
            new JsonArray(
                """
        [{"type": "text", "text": "Bonjour"}]
        """));
  }

  @Test
  @DisplayName(
      "Anthropic's own stop_reason is kept while it agrees with the finish reason; once a policy changed that "
          + "(a replaced tool call stops the turn), the client gets the finish reason's, without stop_sequence")
  void policyChangedFinishReasonWins() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Blocked."), null));
    feed(
        chunk(new JsonObject(), "stop")
            .put(
                Canonical.EXTRA,
                new JsonObject().put("stop_reason", "tool_use").put("stop_sequence", "x")));
    events.addAll(encoder.finish());

    JsonObject delta = events.get(events.size() - 2).data().getJsonObject("delta");
    assertThat(delta.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(delta.getValue("stop_sequence")).isNull();
  }

  @Test
  @DisplayName("Anthropic's own stop_reason and stop_sequence pass when the finish reason agrees")
  void anthropicStopKept() {
    feed(chunk(new JsonObject().put("role", "assistant").put("content", "Done"), null));
    feed(
        chunk(new JsonObject(), "stop")
            .put(
                Canonical.EXTRA,
                new JsonObject().put("stop_reason", "stop_sequence").put("stop_sequence", "END")));
    events.addAll(encoder.finish());

    JsonObject delta = events.get(events.size() - 2).data().getJsonObject("delta");
    assertThat(delta.getString("stop_reason")).isEqualTo("stop_sequence");
    assertThat(delta.getString("stop_sequence")).isEqualTo("END");
  }

  private void feed(JsonObject chunk) {
    events.addAll(encoder.onChunk(chunk));
  }

  static JsonObject chunk(JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG")
        .put("object", "chat.completion.chunk")
        .put("created", 1741570283)
        .put("model", "gpt-4o-2024-08-06")
        .put("system_fingerprint", "fp_eb9dce56a8")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .putNull("logprobs")
                        .put("finish_reason", finishReason)))
        .putNull("usage");
  }

  static JsonObject usageChunk(int prompt, int completion, int cached) {
    return chunk(new JsonObject(), null)
        .put("choices", new JsonArray())
        .put("usage", usage(prompt, completion, cached));
  }

  static JsonObject usage(int prompt, int completion, int cached) {
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)
        .put(
            "prompt_tokens_details",
            new JsonObject().put("cached_tokens", cached).put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0));
  }

  static JsonArray calls(JsonObject... calls) {
    JsonArray array = new JsonArray();
    for (JsonObject call : calls) {
      array.add(call);
    }
    return array;
  }

  /** A tool_calls entry as OpenAI streams it: id, type and name on the first one only. */
  static JsonObject call(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    JsonObject call = new JsonObject().put("index", index);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    if (name != null) {
      function.put("name", name);
    }
    return call.put("function", function);
  }

  private static JsonObject thinking(JsonObject thinkingDelta) {
    return new JsonObject().put(Canonical.THINKING_DELTA, thinkingDelta);
  }
}
