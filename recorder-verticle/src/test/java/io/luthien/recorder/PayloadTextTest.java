package io.luthien.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PayloadTextTest {

  @Test
  @DisplayName(
      "a chat-sized payload is neither big nor possibly too deep: one walk, and its depth is not walked again")
  void chatSized() {
    JsonObject payload =
        new JsonObject()
            .put(
                "original",
                new JsonObject()
                    .put("model", "gpt-4o")
                    .put(
                        "messages",
                        new JsonArray()
                            .add(new JsonObject().put("role", "user").put("content", "hello"))));

    assertThat(PayloadText.shape(payload, PayloadText.INLINE_BYTES))
        .isEqualTo(new PayloadText.Shape(false, true));
  }

  @Test
  @DisplayName("a payload whose text passes the bound is big, and its walk stops there")
  void big() {
    JsonObject payload = new JsonObject().put("text", "x".repeat(2_000));

    assertThat(PayloadText.shape(payload, 1_000)).isEqualTo(new PayloadText.Shape(true, false));
  }

  @Test
  @DisplayName(
      "a payload of as many objects as the deepest nesting allowed is not known to be shallow, "
          + "and the storable text then checks its depth: too deep is refused")
  void manyContainers() {
    JsonObject allowed = nested(PayloadText.MAX_DEPTH);
    JsonObject tooDeep = nested(PayloadText.MAX_DEPTH + 1);
    JsonObject wide = new JsonObject();
    JsonArray items = new JsonArray();
    for (int i = 0; i < PayloadText.MAX_DEPTH; i++) {
      items.add(new JsonObject().put("i", i));
    }
    wide.put("items", items);

    assertThat(PayloadText.shape(nested(PayloadText.MAX_DEPTH - 1), Long.MAX_VALUE).shallow())
        .isTrue();
    assertThat(PayloadText.shape(allowed, Long.MAX_VALUE).shallow()).isFalse();
    assertThat(PayloadText.shape(wide, Long.MAX_VALUE).shallow()).isFalse();
    assertThat(PayloadText.storable(wide, Integer.MAX_VALUE)).startsWith("{\"items\":");
    assertThatThrownBy(() -> PayloadText.storable(tooDeep, Integer.MAX_VALUE))
        .isInstanceOf(EncodeException.class)
        .hasMessageContaining("deeper than " + PayloadText.MAX_DEPTH);
  }

  /** {@code depth} objects, each but the last holding the next. */
  private static JsonObject nested(int depth) {
    JsonObject inner = new JsonObject().put("leaf", true);
    for (int level = 1; level < depth; level++) {
      inner = new JsonObject().put("nested", inner);
    }
    return inner;
  }
}
