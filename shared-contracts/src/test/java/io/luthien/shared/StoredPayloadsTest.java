package io.luthien.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoredPayloadsTest {

  private static final JsonObject ANSWER =
      new JsonObject().put("choices", new JsonObject().put("text", "hello"));

  @Test
  @DisplayName("an unchanged final is left out; the payload given is not touched")
  void unchangedFinalLeftOut() {
    JsonObject payload =
        new JsonObject().put("original", ANSWER).put("final", ANSWER.copy()).put("status", 200);
    JsonObject stored = StoredPayloads.stored(payload);
    assertThat(stored.fieldNames()).containsExactly("original", "status");
    assertThat(payload.containsKey("final")).isTrue();
  }

  @Test
  @DisplayName(
      "a changed final, a null final (blocked, failed) and a payload of another kind stay whole")
  void otherPayloadsKept() {
    JsonObject changed =
        new JsonObject().put("original", ANSWER).put("final", new JsonObject().put("x", 1));
    JsonObject blocked = new JsonObject().put("original", ANSWER).putNull("final");
    JsonObject neither = new JsonObject().putNull("original").putNull("final");
    JsonObject policyEvent = new JsonObject().put("phase", "request").put("data", ANSWER);
    for (JsonObject payload : new JsonObject[] {changed, blocked, neither, policyEvent}) {
      assertThat(StoredPayloads.stored(payload)).isSameAs(payload);
    }
  }
}
