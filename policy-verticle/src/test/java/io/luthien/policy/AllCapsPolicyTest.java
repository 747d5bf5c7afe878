package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AllCapsPolicyTest {

  private final AllCapsPolicy policy = new AllCapsPolicy();
  private final PolicyContext context = new PolicyContext("c", null);

  @Test
  @DisplayName(
      "AllCapsPolicy rewrites a copy of the chunk: the original stays as it was, for the recorder")
  void allCapsLeavesOriginalChunkAlone() {
    JsonObject original =
        Chunks.chunk("chatcmpl-1", 1L, "m", new JsonObject().put("content", "keep me"), null);
    JsonObject snapshot = original.copy();

    JsonObject rewritten = policy.onChunk(original, context).result().get(0);

    assertThat(original).isEqualTo(snapshot);
    assertThat(Chunks.textDelta(rewritten)).isEqualTo("KEEP ME");
  }

  @Test
  @DisplayName(
      "AllCapsPolicy upper-cases a whole answer's text in a copy, its finish reason untouched")
  void allCapsWholeAnswer() {
    JsonObject original =
        Completions.completion(
            "chatcmpl-1", 1L, "m", Completions.choice(0, Messages.assistant("déjà vu"), "stop"));
    JsonObject snapshot = original.copy();

    JsonObject rewritten = policy.onResponse(original, context).result();

    assertThat(Completions.text(rewritten)).isEqualTo("DÉJÀ VU");
    assertThat(Completions.finishReason(rewritten)).isEqualTo("stop");
    assertThat(original).isEqualTo(snapshot);
  }
}
