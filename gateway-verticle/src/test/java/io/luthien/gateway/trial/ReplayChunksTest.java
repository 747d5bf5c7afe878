package io.luthien.gateway.trial;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.ChunkAccumulator;
import io.luthien.canonical.Chunks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplayChunksTest {

  private static JsonObject completion(JsonObject message, String finishReason) {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion")
        .put("created", 1_700_000_000L)
        .put("model", "gpt-4o")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("message", message)
                        .put("finish_reason", finishReason)))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", 5)
                .put("completion_tokens", 7)
                .put("total_tokens", 12)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 2)));
  }

  private static JsonObject accumulated(List<JsonObject> chunks) {
    ChunkAccumulator accumulator = new ChunkAccumulator();
    chunks.forEach(accumulator::add);
    return accumulator.completion();
  }

  @Test
  @DisplayName(
      "a text answer becomes chunks of a few words, a finish chunk and a usage chunk, which add up to the same answer")
  void text() {
    JsonObject answer =
        completion(
            new JsonObject()
                .put("role", "assistant")
                .put("content", "One two three four  five\nsix seven."),
            "stop");

    List<JsonObject> chunks = ReplayChunks.of(answer);

    assertThat(chunks.stream().map(Chunks::textDelta).filter(text -> !text.isEmpty()))
        .containsExactly("One two three ", "four  five\nsix ", "seven.");
    assertThat(Chunks.finishReason(chunks.get(chunks.size() - 2))).isEqualTo("stop");
    assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage"))
        .isEqualTo(answer.getJsonObject("usage"));
    JsonObject rebuilt = accumulated(chunks);
    assertThat(rebuilt.getJsonArray("choices")).isEqualTo(answer.getJsonArray("choices"));
    assertThat(rebuilt.getJsonObject("usage")).isEqualTo(answer.getJsonObject("usage"));
  }

  @Test
  @DisplayName("tool calls are sent as their id and name, then their arguments in pieces")
  void toolCalls() {
    String arguments = "{\"command\":\"rm -rf / --no-preserve-root\",\"timeout\":30}";
    JsonObject call =
        new JsonObject()
            .put("id", "call_1")
            .put("type", "function")
            .put("function", new JsonObject().put("name", "Bash").put("arguments", arguments));
    JsonObject answer =
        completion(
            new JsonObject()
                .put("role", "assistant")
                .putNull("content")
                .put("tool_calls", new JsonArray().add(call)),
            "tool_calls");

    List<JsonObject> chunks = ReplayChunks.of(answer);

    long argumentPieces =
        chunks.stream()
            .flatMap(chunk -> Chunks.toolCallDeltas(chunk).stream())
            .filter(delta -> delta.arguments() != null && !delta.arguments().isEmpty())
            .count();
    assertThat(argumentPieces).isGreaterThan(2);
    assertThat(accumulated(chunks).getJsonArray("choices"))
        .isEqualTo(answer.getJsonArray("choices"));
  }
}
