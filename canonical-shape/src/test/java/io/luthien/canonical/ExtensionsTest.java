package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExtensionsTest {

  private static JsonObject openAiRequest() {
    return new JsonObject()
        .put("model", "gpt-4o")
        .put(
            "messages",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("role", "user")
                        .put(
                            "content",
                            new JsonArray()
                                .add(new JsonObject().put("type", "text").put("text", "hi")))));
  }

  private static JsonObject anthropicCompletion() {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put(Canonical.EXTRA, new JsonObject().put("stop_reason", "stop_sequence"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject()
                                .put("role", "assistant")
                                .put("content", "hi")
                                .put(
                                    Canonical.THINKING,
                                    new JsonArray().add(new JsonObject().put("type", "thinking")))
                                .put(
                                    "tool_calls",
                                    new JsonArray()
                                        .add(
                                            new JsonObject()
                                                .put("id", "call_1")
                                                .put(
                                                    Canonical.EXTRA,
                                                    new JsonObject().put("caller", "x")))))))
        .put(
            "usage",
            new JsonObject().put("prompt_tokens", 3).put(Canonical.EXTRA, new JsonObject()));
  }

  @Test
  @DisplayName("extension keys and kept blocks are found at any depth; plain OpenAI JSON has none")
  void present() {
    JsonObject withBlock = openAiRequest();
    withBlock
        .getJsonArray("messages")
        .getJsonObject(0)
        .getJsonArray("content")
        .add(
            new JsonObject()
                .put("type", Canonical.BLOCK_PART)
                .put("block", new JsonObject().put("type", "document")));
    JsonObject withUsageExtra =
        new JsonObject().put("usage", new JsonObject().put(Canonical.EXTRA, new JsonObject()));

    assertThat(Extensions.present(openAiRequest())).isFalse();
    assertThat(Extensions.present(withBlock)).isTrue();
    assertThat(Extensions.present(withUsageExtra)).isTrue();
    assertThat(Extensions.present(openAiRequest().put(Canonical.HEADERS, new JsonObject())))
        .isTrue();
    assertThat(Extensions.present(openAiRequest().put(Canonical.QUERY, "beta=true"))).isTrue();
  }

  @Test
  @DisplayName("stripped() hands plain JSON back as it is, not copied")
  void plainJsonIsNotCopied() {
    JsonObject request = openAiRequest();

    assertThat(Extensions.stripped(request)).isSameAs(request);
  }

  @Test
  @DisplayName(
      "stripped() removes every extension key at any depth, from a copy, and leaves the rest alone")
  void strippedRemovesEveryExtensionKey() {
    JsonObject completion = anthropicCompletion();
    JsonObject snapshot = completion.copy();

    JsonObject plain = Extensions.stripped(completion);

    assertThat(plain)
        .isEqualTo(
            new JsonObject()
                .put("id", "chatcmpl-1")
                .put(
                    "choices",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("index", 0)
                                .put(
                                    "message",
                                    new JsonObject()
                                        .put("role", "assistant")
                                        .put("content", "hi")
                                        .put(
                                            "tool_calls",
                                            new JsonArray()
                                                .add(new JsonObject().put("id", "call_1"))))))
                .put("usage", new JsonObject().put("prompt_tokens", 3)));
    assertThat(Extensions.present(plain)).isFalse();
    assertThat(completion).isEqualTo(snapshot);
  }

  @Test
  @DisplayName(
      "unknown keys ride in x_anthropic and come back onto the target without overwriting what it has")
  void extrasRoundTrip() {
    JsonObject source =
        new JsonObject()
            .put("type", "text")
            .put("text", "hi")
            .put("cache_control", new JsonObject().put("type", "ephemeral"))
            .put("citations", new JsonArray());

    JsonObject part =
        Extensions.withExtras(
            new JsonObject().put("type", "text").put("text", "hi"), source, Set.of("type", "text"));
    JsonObject restored =
        Extensions.restoreExtras(
            new JsonObject()
                .put("type", "text")
                .put("text", "HI")
                .put("citations", new JsonArray().add("kept")),
            part);

    assertThat(part.getJsonObject(Canonical.EXTRA))
        .isEqualTo(
            new JsonObject()
                .put("cache_control", new JsonObject().put("type", "ephemeral"))
                .put("citations", new JsonArray()));
    assertThat(restored)
        .isEqualTo(
            new JsonObject()
                .put("type", "text")
                .put("text", "HI")
                .put("citations", new JsonArray().add("kept"))
                .put("cache_control", new JsonObject().put("type", "ephemeral")));
    assertThat(Extensions.withExtras(new JsonObject(), source, source.fieldNames()))
        .as("nothing unknown, no x_anthropic key")
        .isEmpty();
  }
}
