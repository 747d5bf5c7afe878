package io.luthien.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SearchTextTest {

  @Test
  @DisplayName("an OpenAI chat call adds its last user message and its answer's text")
  void openAiChat() {
    JsonObject request =
        new JsonObject()
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "system").put("content", "be brief"))
                    .add(new JsonObject().put("role", "user").put("content", "first question"))
                    .add(new JsonObject().put("role", "assistant").put("content", "first answer"))
                    .add(new JsonObject().put("role", "user").put("content", "second question")));
    JsonObject completion =
        new JsonObject()
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put(
                                "message",
                                new JsonObject()
                                    .put("role", "assistant")
                                    .put("content", "second answer"))));

    assertThat(SearchText.of(Fields.EVENT_REQUEST, sides(request))).isEqualTo("second question");
    assertThat(SearchText.of(Fields.EVENT_RESPONSE, sides(completion))).isEqualTo("second answer");
    assertThat(SearchText.of("policy.checked", sides(request))).isNull();
  }

  @Test
  @DisplayName("a Responses call adds its input string or user items and its output_text parts")
  void responses() {
    JsonObject output =
        new JsonObject()
            .put(
                "output",
                new JsonArray()
                    .add(new JsonObject().put("type", "reasoning"))
                    .add(
                        new JsonObject()
                            .put("type", "message")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "output_text")
                                            .put("text", "done")))));
    JsonObject items =
        new JsonObject()
            .put(
                "input",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "function_call")
                            .put("name", "shell")
                            .put("arguments", "{}"))
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "input_text")
                                            .put("text", "run the tests")))));

    assertThat(SearchText.of(Fields.EVENT_REQUEST, sides(new JsonObject().put("input", "hi"))))
        .isEqualTo("hi");
    assertThat(SearchText.of(Fields.EVENT_REQUEST, sides(items))).isEqualTo("run the tests");
    assertThat(SearchText.of(Fields.EVENT_RESPONSE, sides(output))).isEqualTo("done");
  }

  @Test
  @DisplayName("a side's text is bounded to 32 KiB characters and never holds a NUL")
  void bounded() {
    String huge = "a\0" + "b".repeat(100_000);
    JsonObject request =
        new JsonObject()
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", huge)));

    String text = SearchText.of(Fields.EVENT_REQUEST, sides(request));

    assertThat(text).hasSize(SearchText.MAX_CHARS).doesNotContain("\0").startsWith("a b");
  }

  private static JsonObject sides(JsonObject value) {
    return new JsonObject().put(Fields.ORIGINAL, value).put(Fields.FINAL, value);
  }
}
