package io.luthien.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExtensionsTest {

  private static JsonObject openAiRequest() {
    return new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi")))));
  }

  @Test
  @DisplayName("extension keys and kept blocks are found at any depth; plain OpenAI JSON has none")
  void present() {
    JsonObject withBlock = openAiRequest();
    withBlock.getJsonArray("messages").getJsonObject(0).getJsonArray("content")
        .add(new JsonObject().put("type", Canonical.BLOCK_PART).put("block", new JsonObject().put("type", "document")));
    JsonObject withUsageExtra = new JsonObject().put("usage", new JsonObject().put(Canonical.EXTRA, new JsonObject()));

    assertThat(Extensions.present(openAiRequest())).isFalse();
    assertThat(Extensions.present(withBlock)).isTrue();
    assertThat(Extensions.present(withUsageExtra)).isTrue();
    assertThat(Extensions.present(openAiRequest().put(Canonical.HEADERS, new JsonObject()))).isTrue();
  }

  @Test
  @DisplayName("plain OpenAI requests and responses pass through as they are, not copied")
  void plainTrafficIsNotCopied() {
    JsonObject request = openAiRequest();
    JsonObject completion = new JsonObject().put("object", "chat.completion").put("choices", new JsonArray()
        .add(new JsonObject().put("index", 0).put("message", new JsonObject().put("role", "assistant").put("content", "hi"))));

    assertThat(OpenAiRequests.forOpenAiBackend(request)).isSameAs(request);
    assertThat(OpenAiResponses.forOpenAiClient(completion)).isSameAs(completion);
  }
}
