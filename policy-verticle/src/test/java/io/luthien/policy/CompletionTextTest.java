package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompletionTextTest {

  private static JsonObject chunk(JsonObject delta) {
    return new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)));
  }

  @Test
  @DisplayName("AllCapsPolicy rewrites a copy of the chunk: the original stays as it was, for the recorder")
  void allCapsLeavesOriginalChunkAlone() {
    JsonObject original = chunk(new JsonObject().put("content", "keep me"));
    JsonObject snapshot = original.copy();

    JsonObject rewritten = new AllCapsPolicy().onChunk(original, new PolicyContext("c", null)).result().get(0);

    assertThat(original).isEqualTo(snapshot);
    assertThat(CompletionText.deltaText(rewritten)).isEqualTo("KEEP ME");
  }

  @Test
  @DisplayName("content given as an array of parts has its text parts rewritten and other parts kept")
  void contentParts() {
    JsonObject response = new JsonObject().put("choices", new JsonArray().add(new JsonObject()
        .put("message", new JsonObject().put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "abc"))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "x")))))));

    JsonObject rewritten = CompletionText.mapMessageContent(response, text -> text.toUpperCase(Locale.ROOT));

    JsonArray parts = rewritten.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("content");
    assertThat(parts.getJsonObject(0).getString("text")).isEqualTo("ABC");
    assertThat(parts.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "x")));
    assertThat(response.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("content")
        .getJsonObject(0).getString("text")).isEqualTo("abc");
  }

  @Test
  @DisplayName("a chunk without content (role only, finish, tool calls) is left without a content field")
  void noContentAdded() {
    JsonObject roleOnly = chunk(new JsonObject().put("role", "assistant"));

    assertThat(CompletionText.mapDeltaContent(roleOnly, String::toUpperCase)).isEqualTo(roleOnly);
    assertThat(CompletionText.deltaText(roleOnly)).isEmpty();
  }

  @Test
  @DisplayName("tool-call fragments are exposed in order")
  void toolCallDeltas() {
    JsonObject withTools = chunk(new JsonObject().put("tool_calls", new JsonArray()
        .add(new JsonObject().put("index", 0).put("function", new JsonObject().put("arguments", "{\"a\"")))
        .add(new JsonObject().put("index", 1).put("function", new JsonObject().put("name", "lookup")))));

    List<JsonObject> calls = CompletionText.toolCallDeltas(withTools);

    assertThat(calls).extracting(call -> call.getInteger("index")).containsExactly(0, 1);
    assertThat(calls.get(0).getJsonObject("function").getString("arguments")).isEqualTo("{\"a\"");
  }
}
