package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompletionsTest {

  private static JsonObject completion(String text, String finishReason) {
    return Completions.completion(
        "chatcmpl-1",
        1700000000L,
        "gpt-4o",
        Completions.choice(0, Messages.assistant(text), finishReason));
  }

  @Test
  @DisplayName(
      "the builders make a chat.completion whose choice states its logprobs, as OpenAI's do")
  void builders() {
    JsonObject completion = completion("Hello", "stop").put("usage", Usage.of(5, 1).toJson());

    assertThat(completion)
        .isEqualTo(
            new JsonObject(
                """
        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"},
                      "logprobs": null, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6,
                   "prompt_tokens_details": {"cached_tokens": 0}}}
        """));
  }

  @Test
  @DisplayName("the readers give choice 0's text, tool calls and finish reason, and the usage")
  void readers() {
    JsonObject completion =
        Completions.completion(
                "chatcmpl-2",
                1L,
                "gpt-4o",
                Completions.choice(1, Messages.assistant("the other answer"), "length"),
                Completions.choice(
                    0,
                    Messages.assistant("Let me look.")
                        .put(
                            "tool_calls",
                            new JsonArray().add(new ToolCall("call_1", "lookup", "{}").toJson())),
                    "tool_calls"))
            .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 4));

    assertThat(Completions.text(completion)).isEqualTo("Let me look.");
    assertThat(Completions.toolCalls(completion))
        .containsExactly(new ToolCall("call_1", "lookup", "{}"));
    assertThat(Completions.finishReason(completion)).isEqualTo("tool_calls");
    assertThat(Completions.usage(completion)).isEqualTo(new Usage(10, 4, 14, 0, null));
  }

  @Test
  @DisplayName(
      "an answer that only calls tools has no text; one without choices or usage reads as empty")
  void emptyReads() {
    JsonObject toolsOnly =
        Completions.completion(
            "c",
            1L,
            "m",
            Completions.choice(
                0, Messages.assistant(null).put("tool_calls", new JsonArray()), "tool_calls"));

    assertThat(Completions.text(toolsOnly)).isNull();
    assertThat(Completions.toolCalls(toolsOnly)).isEmpty();
    assertThat(Completions.text(new JsonObject())).isNull();
    assertThat(Completions.finishReason(new JsonObject())).isNull();
    assertThat(Completions.usage(new JsonObject())).isNull();
  }

  @Test
  @DisplayName(
      "mapText rewrites every choice's text in a copy: the completion handed in stays as it was")
  void mapTextCopies() {
    JsonObject original =
        Completions.completion(
            "c",
            1L,
            "m",
            Completions.choice(0, Messages.assistant("first"), "stop"),
            Completions.choice(1, Messages.assistant("second"), "stop"));
    JsonObject snapshot = original.copy();

    JsonObject rewritten = Completions.mapText(original, text -> text.toUpperCase(Locale.ROOT));

    assertThat(Choices.of(rewritten))
        .extracting(choice -> Messages.text(Completions.message(choice)))
        .containsExactly("FIRST", "SECOND");
    assertThat(original).isEqualTo(snapshot);
  }

  @Test
  @DisplayName(
      "content given as an array of parts has its text parts rewritten and other parts kept")
  void mapTextParts() {
    JsonObject image =
        new JsonObject()
            .put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "x"));
    JsonObject response =
        new JsonObject()
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put(
                                "message",
                                new JsonObject()
                                    .put(
                                        "content",
                                        new JsonArray()
                                            .add(
                                                new JsonObject()
                                                    .put("type", "text")
                                                    .put("text", "abc"))
                                            .add(image)))));

    JsonObject rewritten = Completions.mapText(response, text -> text.toUpperCase(Locale.ROOT));

    JsonArray parts = Completions.message(Choices.first(rewritten)).getJsonArray("content");
    assertThat(parts.getJsonObject(0).getString("text")).isEqualTo("ABC");
    assertThat(parts.getJsonObject(1)).isEqualTo(image);
    assertThat(Completions.text(response)).isEqualTo("abc");
  }

  @Test
  @DisplayName("mapText leaves a message without content without one")
  void mapTextNoContent() {
    JsonObject toolsOnly =
        Completions.completion(
            "c",
            1L,
            "m",
            Completions.choice(
                0,
                new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()),
                null));

    assertThat(Completions.mapText(toolsOnly, text -> "x")).isEqualTo(toolsOnly);
  }

  @Test
  @DisplayName(
      "withText replaces choice 0's text in a copy, and makes the choice when there is none")
  void withText() {
    JsonObject original = completion("draft", "stop");

    JsonObject replaced = Completions.withText(original, "final");
    JsonObject made = Completions.withText(new JsonObject().put("id", "c"), "made");

    assertThat(Completions.text(replaced)).isEqualTo("final");
    assertThat(Completions.finishReason(replaced)).isEqualTo("stop");
    assertThat(Completions.text(original)).isEqualTo("draft");
    assertThat(Completions.text(made)).isEqualTo("made");
    assertThat(Messages.role(Completions.message(Choices.first(made)))).isEqualTo("assistant");
  }
}
