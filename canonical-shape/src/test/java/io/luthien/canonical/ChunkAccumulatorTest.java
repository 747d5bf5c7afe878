package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkAccumulatorTest {

  private final ChunkAccumulator accumulator = new ChunkAccumulator();

  @Test
  @DisplayName(
      "text streamed over many chunks comes back as one assistant message with the stream's id and model")
  void plainText() {
    accumulator.add(
        chunk(choice(0, new JsonObject().put("role", "assistant").put("content", ""), null))
            .put("system_fingerprint", "fp_1"));
    for (String word : new String[] {"The ", "quick ", "brown ", "fox", "."}) {
      accumulator.add(chunk(choice(0, new JsonObject().put("content", word), null)));
    }
    accumulator.add(chunk(choice(0, new JsonObject(), "stop")));

    JsonObject result = accumulator.completion();

    assertThat(result)
        .isEqualTo(
            new JsonObject(
                """
        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
         "system_fingerprint": "fp_1",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "The quick brown fox."},
                      "finish_reason": "stop"}]}
        """));
  }

  @Test
  @DisplayName("two choices streamed interleaved are rebuilt separately and ordered by index")
  void interleavedChoices() {
    accumulator.add(
        chunk(choice(1, new JsonObject().put("role", "assistant").put("content", "B1 "), null)));
    accumulator.add(
        chunk(choice(0, new JsonObject().put("role", "assistant").put("content", "A1 "), null)));
    accumulator.add(
        chunk(
            choice(0, new JsonObject().put("content", "A2"), null),
            choice(1, new JsonObject().put("content", "B2"), null)));
    accumulator.add(chunk(choice(1, new JsonObject(), "stop")));
    accumulator.add(chunk(choice(0, new JsonObject(), "stop")));

    JsonArray choices = accumulator.completion().getJsonArray("choices");

    assertThat(choices).hasSize(2);
    assertThat(choices.getJsonObject(0).getInteger("index")).isEqualTo(0);
    assertThat(choices.getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("A1 A2");
    assertThat(choices.getJsonObject(1).getInteger("index")).isEqualTo(1);
    assertThat(choices.getJsonObject(1).getJsonObject("message").getString("content"))
        .isEqualTo("B1 B2");
  }

  @Test
  @DisplayName(
      "a tool call whose arguments are split across chunks comes back whole, with content null")
  void toolCallArgumentsSplit() {
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put("role", "assistant")
                    .putNull("content")
                    .put(
                        "tool_calls",
                        new JsonArray().add(toolCall(0, "call_1", "get_weather", ""))),
                null)));
    for (String part : new String[] {"{\"ci", "ty\": \"Pa", "ris\"}"}) {
      accumulator.add(
          chunk(
              choice(
                  0,
                  new JsonObject()
                      .put("tool_calls", new JsonArray().add(toolCall(0, null, null, part))),
                  null)));
    }
    accumulator.add(chunk(choice(0, new JsonObject(), "tool_calls")));

    JsonObject choice = accumulator.completion().getJsonArray("choices").getJsonObject(0);

    assertThat(choice)
        .isEqualTo(
            new JsonObject(
                """
        {"index": 0, "finish_reason": "tool_calls",
         "message": {"role": "assistant", "content": null, "tool_calls": [
           {"id": "call_1", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}}
        """));
  }

  @Test
  @DisplayName(
      "two parallel tool calls with interleaved fragments are rebuilt separately, ordered by tool-call index")
  void parallelToolCalls() {
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put("role", "assistant")
                    .put(
                        "tool_calls",
                        new JsonArray().add(toolCall(1, "call_b", "get_time", "{\"tz\":"))),
                null)));
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put(
                        "tool_calls",
                        new JsonArray().add(toolCall(0, "call_a", "get_weather", "{\"city\":"))),
                null)));
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put(
                        "tool_calls",
                        new JsonArray()
                            .add(toolCall(1, null, null, "\"UTC\"}"))
                            .add(toolCall(0, null, null, "\"Oslo\"}"))),
                null)));
    accumulator.add(chunk(choice(0, new JsonObject(), "tool_calls")));

    JsonArray calls =
        accumulator
            .completion()
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getJsonArray("tool_calls");

    assertThat(calls)
        .isEqualTo(
            new JsonArray(
                """
        [{"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}},
         {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{\\"tz\\":\\"UTC\\"}"}}]
        """));
  }

  @Test
  @DisplayName("a function name streamed in parts is joined")
  void functionNameInParts() {
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put("tool_calls", new JsonArray().add(toolCall(0, "call_1", "get_", ""))),
                null)));
    accumulator.add(
        chunk(
            choice(
                0,
                new JsonObject()
                    .put("tool_calls", new JsonArray().add(toolCall(0, null, "weather", "{}"))),
                null)));

    JsonObject function =
        accumulator
            .completion()
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getJsonArray("tool_calls")
            .getJsonObject(0)
            .getJsonObject("function");

    assertThat(function.getString("name")).isEqualTo("get_weather");
    assertThat(function.getString("arguments")).isEqualTo("{}");
  }

  @Test
  @DisplayName("the usage of a final chunk with empty choices becomes the response's usage")
  void usageOnlyFinalChunk() {
    accumulator.add(
        chunk(choice(0, new JsonObject().put("role", "assistant").put("content", "Hi"), null)));
    accumulator.add(chunk(choice(0, new JsonObject(), "stop")));
    JsonObject usage =
        new JsonObject()
            .put("prompt_tokens", 9)
            .put("completion_tokens", 1)
            .put("total_tokens", 10);
    accumulator.add(chunk().put("usage", usage));

    JsonObject result = accumulator.completion();

    assertThat(result.getJsonObject("usage")).isEqualTo(usage);
    assertThat(result.getJsonArray("choices")).hasSize(1);
    assertThat(result.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  @DisplayName("a response cut by the token limit keeps finish_reason \"length\"")
  void finishReasonLength() {
    accumulator.add(
        chunk(
            choice(
                0, new JsonObject().put("role", "assistant").put("content", "Once upon"), null)));
    accumulator.add(chunk(choice(0, new JsonObject(), "length")));

    JsonObject choice = accumulator.completion().getJsonArray("choices").getJsonObject(0);

    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Once upon");
  }

  @Test
  @DisplayName("with no chunk at all the result is a completion with empty choices")
  void zeroChunks() {
    JsonObject result = accumulator.completion();

    assertThat(result)
        .isEqualTo(
            new JsonObject().put("object", "chat.completion").put("choices", new JsonArray()));
  }

  @Test
  @DisplayName("a chunk without a choices field adds nothing but its metadata")
  void chunkWithoutChoices() {
    accumulator.add(
        new JsonObject().put("id", "chatcmpl-9").put("object", "chat.completion.chunk"));
    accumulator.add(chunk(choice(0, new JsonObject().put("content", "ok"), "stop")));

    JsonObject result = accumulator.completion();

    assertThat(result.getString("id")).isEqualTo("chatcmpl-9");
    assertThat(result.getJsonArray("choices")).hasSize(1);
    assertThat(result.getJsonArray("choices").getJsonObject(0).getJsonObject("message"))
        .isEqualTo(new JsonObject().put("role", "assistant").put("content", "ok"));
  }

  @Test
  @DisplayName(
      "the role given only in the first chunk holds for the whole message; a message with nothing is empty")
  void roleOnlyInFirstChunk() {
    accumulator.add(
        chunk(
            choice(0, new JsonObject().put("role", "assistant"), null),
            choice(1, new JsonObject().put("role", "assistant"), null)));
    accumulator.add(
        chunk(
            choice(0, new JsonObject().put("content", "yes"), "stop"),
            choice(1, new JsonObject(), "stop")));

    JsonArray choices = accumulator.completion().getJsonArray("choices");

    assertThat(choices.getJsonObject(0).getJsonObject("message"))
        .isEqualTo(new JsonObject().put("role", "assistant").put("content", "yes"));
    assertThat(choices.getJsonObject(1).getJsonObject("message"))
        .isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
  }

  @Test
  @DisplayName("a streamed refusal is joined into message.refusal")
  void refusal() {
    accumulator.add(
        chunk(
            choice(0, new JsonObject().put("role", "assistant").put("refusal", "I can't "), null)));
    accumulator.add(chunk(choice(0, new JsonObject().put("refusal", "help with that."), "stop")));

    JsonObject message =
        accumulator.completion().getJsonArray("choices").getJsonObject(0).getJsonObject("message");

    assertThat(message.getString("refusal")).isEqualTo("I can't help with that.");
    assertThat(message.getString("content")).isEmpty();
  }

  @Test
  @DisplayName("finish_reason is the last non-null one, logprobs and unknown fields are left out")
  void lastFinishReasonAndUnknownFields() {
    accumulator.add(
        chunk(
                choice(0, new JsonObject().put("content", "a"), "stop")
                    .put("logprobs", new JsonObject().put("content", new JsonArray())))
            .put("service_tier", "default")
            .put("x_vendor", 1));
    accumulator.add(chunk(choice(0, new JsonObject().put("content", "b"), null)));

    JsonObject result = accumulator.completion();

    assertThat(result.fieldNames())
        .containsExactlyInAnyOrder("id", "object", "created", "model", "choices");
    assertThat(result.getJsonArray("choices").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("index", "message", "finish_reason");
    assertThat(result.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  @DisplayName(
      "each result is a fresh object: changing it changes neither later results nor the chunks")
  void freshResult() {
    JsonObject usage = new JsonObject().put("total_tokens", 3);
    accumulator.add(
        chunk(choice(0, new JsonObject().put("content", "hi"), "stop")).put("usage", usage));

    accumulator.completion().getJsonObject("usage").put("total_tokens", 99);
    accumulator.completion().getJsonArray("choices").clear();

    assertThat(accumulator.completion().getJsonObject("usage").getInteger("total_tokens"))
        .isEqualTo(3);
    assertThat(accumulator.completion().getJsonArray("choices")).hasSize(1);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(3);
  }

  private static JsonObject chunk(JsonObject... choices) {
    JsonArray choiceArray = new JsonArray();
    for (JsonObject choice : choices) {
      choiceArray.add(choice);
    }
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion.chunk")
        .put("created", 1700000000)
        .put("model", "gpt-4o")
        .put("choices", choiceArray);
  }

  private static JsonObject choice(int index, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("index", index)
        .put("delta", delta)
        .put("finish_reason", finishReason);
  }

  private static JsonObject toolCall(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (name != null) {
      function.put("name", name);
    }
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    return call;
  }
}
