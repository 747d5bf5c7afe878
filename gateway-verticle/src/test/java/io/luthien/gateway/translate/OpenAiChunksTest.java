package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.AnthropicStreamEncoderTest.call;
import static io.luthien.gateway.translate.AnthropicStreamEncoderTest.calls;
import static io.luthien.gateway.translate.AnthropicStreamEncoderTest.chunk;
import static io.luthien.gateway.translate.AnthropicStreamEncoderTest.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiChunksTest {

  @Test
  @DisplayName("a plain OpenAI chunk passes as it is, with no copy on the hot path")
  void plainChunk() {
    JsonObject original =
        chunk(
            new JsonObject()
                .put("role", "assistant")
                .put("content", "")
                .put("tool_calls", calls(call(0, "call_1", "f", ""))),
            null);
    JsonObject unchanged = original.copy();

    assertThat(OpenAiChunks.forOpenAiClient(original)).isSameAs(original).isEqualTo(unchanged);
  }

  @Test
  @DisplayName("a delta field other than role, content and tool calls still says something")
  void otherDeltaFields() {
    JsonObject reasoning = chunk(new JsonObject().put("reasoning_content", "first, "), null);

    assertThat(OpenAiChunks.forOpenAiClient(reasoning)).isEqualTo(reasoning);
  }

  @Test
  @DisplayName(
      "the usage-only final chunk (choices []) and a finish chunk with an empty delta are kept")
  void usageAndFinishChunks() {
    assertThat(OpenAiChunks.forOpenAiClient(usageChunk(10, 2, 0))).isEqualTo(usageChunk(10, 2, 0));
    JsonObject finish = chunk(new JsonObject(), "stop");
    assertThat(OpenAiChunks.forOpenAiClient(finish)).isEqualTo(finish);
  }

  @Test
  @DisplayName("thinking-only deltas, and deltas with nothing in them, leave nothing to say: null")
  void nothingToSay() {
    JsonObject thinking =
        chunk(
            new JsonObject()
                .put(
                    Canonical.THINKING_DELTA,
                    new JsonObject().put("type", "thinking_delta").put("thinking", "hmm")),
            null);
    JsonObject redacted =
        chunk(
            new JsonObject()
                .put(
                    Canonical.THINKING_DELTA,
                    new JsonObject().put("type", "redacted_thinking").put("data", "EmwK")),
            null);

    assertThat(OpenAiChunks.forOpenAiClient(thinking)).isNull();
    assertThat(OpenAiChunks.forOpenAiClient(redacted)).isNull();
    assertThat(OpenAiChunks.forOpenAiClient(chunk(new JsonObject().putNull("content"), null)))
        .isNull();
  }

  @Test
  @DisplayName(
      "an Anthropic stream decoded for an OpenAI client: no extension key anywhere, the rest intact")
  void decodedStreamForOpenAiClient() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    List<JsonObject> chunks = new ArrayList<>();
    for (JsonObject event : AnthropicStreams.THINKING_THEN_TEXT) {
      chunks.addAll(decoder.onEvent(event));
    }

    List<JsonObject> forClient =
        chunks.stream().map(OpenAiChunks::forOpenAiClient).filter(Objects::nonNull).toList();

    assertThat(forClient).hasSize(4);
    assertThat(forClient)
        .extracting(JsonObject::encode)
        .allSatisfy(json -> assertThat(json).doesNotContain("x_anthropic"));
    assertThat(forClient.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
        .isEqualTo(new JsonObject("{\"role\": \"assistant\"}"));
    assertThat(forClient.get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
        .isEqualTo(new JsonObject("{\"content\": \"27 * 453 = 12,231\"}"));
    assertThat(forClient.get(2).getJsonArray("choices"))
        .isEqualTo(
            new JsonArray(
                """
        [{"index": 0, "delta": {}, "finish_reason": "stop"}]
        """));
    JsonObject last = forClient.get(3);
    assertThat(last.fieldNames())
        .containsExactlyInAnyOrder("id", "object", "created", "model", "choices", "usage");
    assertThat(last.getJsonObject("usage"))
        .isEqualTo(
            new JsonObject(
                """
        {"prompt_tokens": 30, "completion_tokens": 120, "total_tokens": 150,
         "prompt_tokens_details": {"cached_tokens": 0}}
        """));
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(
            chunks.stream()
                .map(chunk -> OpenAiChunks.forOpenAiClient(chunk, false))
                .filter(Objects::nonNull)
                .toList())
        .as("a client that did not ask for usage gets none")
        .hasSize(3)
        .allSatisfy(chunk -> assertThat(chunk.containsKey("usage")).isFalse());
    assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage").containsKey(Canonical.EXTRA))
        .as("the decoder's own chunk is untouched")
        .isTrue();
  }
}
