package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunksTest {

  private static JsonObject chunk(JsonObject delta, String finishReason) {
    return Chunks.chunk("chatcmpl-1", 1700000000L, "gpt-4o", delta, finishReason);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("content", text);
  }

  @Test
  @DisplayName("the builders make one-choice chunks and the usage-only chunk that ends a stream")
  void builders() {
    assertThat(chunk(new JsonObject().put("role", "assistant").put("content", ""), null))
        .isEqualTo(
            new JsonObject(
                """
        {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o",
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}]}
        """));
    assertThat(Chunks.usageChunk("chatcmpl-1", 1700000000L, "gpt-4o", Usage.of(9, 5)))
        .isEqualTo(
            new JsonObject(
                """
        {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o",
         "choices": [],
         "usage": {"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14,
                   "prompt_tokens_details": {"cached_tokens": 0}}}
        """));
  }

  @Test
  @DisplayName(
      "the text delta is what the chunk adds over its choices; a role-only or finish chunk adds \"\"")
  void textDelta() {
    JsonObject twoChoices = chunk(text("A"), null);
    twoChoices.getJsonArray("choices").add(Chunks.choice(1, text("B"), null));

    assertThat(Chunks.textDelta(chunk(text("Hello"), null))).isEqualTo("Hello");
    assertThat(Chunks.textDelta(twoChoices)).isEqualTo("AB");
    assertThat(Chunks.textDelta(chunk(new JsonObject().put("role", "assistant"), null))).isEmpty();
    assertThat(Chunks.textDelta(chunk(new JsonObject(), "stop"))).isEmpty();
    assertThat(Chunks.textDelta(new JsonObject())).isEmpty();
  }

  @Test
  @DisplayName("role, finish reason and usage are read from the chunk that carries them")
  void roleFinishReasonUsage() {
    JsonObject first = chunk(new JsonObject().put("role", "assistant").put("content", ""), null);
    JsonObject last = chunk(new JsonObject(), "length");
    JsonObject usage = Chunks.usageChunk("c", 1L, "m", Usage.of(3, 2));

    assertThat(Chunks.role(first)).isEqualTo("assistant");
    assertThat(Chunks.role(last)).isNull();
    assertThat(Chunks.finishReason(last)).isEqualTo("length");
    assertThat(Chunks.finishReason(first)).isNull();
    assertThat(Chunks.usage(usage)).isEqualTo(Usage.of(3, 2));
    assertThat(Chunks.usage(first)).isNull();
  }

  @Test
  @DisplayName(
      "tool-call fragments are read in order with their index, id, name and arguments piece")
  void toolCallDeltas() {
    JsonObject withTools =
        chunk(
            new JsonObject()
                .put(
                    "tool_calls",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("index", 0)
                                .put("function", new JsonObject().put("arguments", "{\"a\"")))
                        .add(
                            new JsonObject()
                                .put("index", 1)
                                .put("id", "call_2")
                                .put("type", "function")
                                .put(
                                    "function",
                                    new JsonObject().put("name", "lookup").put("arguments", "")))),
            null);

    assertThat(Chunks.toolCallDeltas(withTools))
        .containsExactly(
            new ToolCallDelta(0, null, null, "{\"a\""),
            new ToolCallDelta(1, "call_2", "lookup", ""));
    assertThat(Chunks.toolCallDeltas(chunk(text("no tools"), null))).isEmpty();
  }

  @Test
  @DisplayName("a fragment without an index is known by its position in the chunk's tool_calls")
  void fragmentWithoutIndex() {
    JsonObject delta =
        new JsonObject()
            .put(
                "tool_calls",
                new JsonArray()
                    .add(new JsonObject().put("function", new JsonObject().put("arguments", "{}")))
                    .add(
                        new JsonObject().put("function", new JsonObject().put("arguments", "[]"))));

    assertThat(Deltas.toolCalls(delta)).extracting(ToolCallDelta::index).containsExactly(0, 1);
  }

  @Test
  @DisplayName("mapTextDelta rewrites a copy: the original chunk stays as it was, for the recorder")
  void mapTextDeltaCopies() {
    JsonObject original = chunk(text("keep me"), null);
    JsonObject snapshot = original.copy();

    JsonObject rewritten = Chunks.mapTextDelta(original, text -> text.toUpperCase(Locale.ROOT));

    assertThat(original).isEqualTo(snapshot);
    assertThat(Chunks.textDelta(rewritten)).isEqualTo("KEEP ME");
  }

  @Test
  @DisplayName(
      "a chunk without content (role only, finish, tool calls) is left without a content field")
  void mapTextDeltaAddsNoContent() {
    JsonObject roleOnly = chunk(new JsonObject().put("role", "assistant"), null);
    JsonObject finish = chunk(new JsonObject(), "stop");

    assertThat(Chunks.mapTextDelta(roleOnly, String::toUpperCase)).isEqualTo(roleOnly);
    assertThat(Chunks.mapTextDelta(finish, String::toUpperCase)).isEqualTo(finish);
  }

  @Test
  @DisplayName("withTextDelta sets choice 0's text in a copy and keeps the rest of its delta")
  void withTextDelta() {
    JsonObject original =
        chunk(new JsonObject().put("role", "assistant").put("content", "draft"), null);

    JsonObject replaced = Chunks.withTextDelta(original, "final");

    assertThat(Chunks.textDelta(replaced)).isEqualTo("final");
    assertThat(Chunks.role(replaced)).isEqualTo("assistant");
    assertThat(Chunks.textDelta(original)).isEqualTo("draft");
  }

  @Test
  @DisplayName(
      "withTextDelta on a chunk without choices, as the usage chunk, makes choice 0 to hold the text")
  void withTextDeltaMakesChoice() {
    JsonObject usageOnly = Chunks.usageChunk("c", 1L, "m", Usage.of(1, 1));
    JsonObject noChoices = new JsonObject().put("id", "c");

    assertThat(Chunks.textDelta(Chunks.withTextDelta(usageOnly, "late text")))
        .isEqualTo("late text");
    assertThat(Chunks.usage(Chunks.withTextDelta(usageOnly, "late text")))
        .isEqualTo(Usage.of(1, 1));
    assertThat(Chunks.withTextDelta(noChoices, "x").getJsonArray("choices"))
        .containsExactly(
            new JsonObject()
                .put("index", 0)
                .put("delta", new JsonObject().put("content", "x"))
                .putNull("finish_reason"));
  }
}
