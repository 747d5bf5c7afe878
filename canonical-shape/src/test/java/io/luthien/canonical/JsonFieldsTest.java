package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  private final JsonObject json =
      new JsonObject()
          .put("text", "hi")
          .put("object", new JsonObject().put("a", 1))
          .put("array", new JsonArray().add(1))
          .put("count", 42)
          .put("fraction", 2.9);

  @Test
  @DisplayName("each read returns the value when it has the asked type")
  void typedValues() {
    assertThat(JsonFields.string(json, "text")).isEqualTo("hi");
    assertThat(JsonFields.object(json, "object")).isEqualTo(new JsonObject().put("a", 1));
    assertThat(JsonFields.array(json, "array")).containsExactly(1);
    assertThat(JsonFields.number(json, "count")).isEqualTo(42L);
    assertThat(JsonFields.number(json, "fraction"))
        .as("a number read as a long is truncated")
        .isEqualTo(2L);
  }

  @Test
  @DisplayName(
      "a missing key, a value of another type and a null object all read as absent, never as an exception")
  void absentValues() {
    assertThat(JsonFields.string(json, "count")).isNull();
    assertThat(JsonFields.object(json, "text")).isNull();
    assertThat(JsonFields.array(json, "object")).isNull();
    assertThat(JsonFields.number(json, "text")).isZero();
    assertThat(JsonFields.string(null, "text")).isNull();
    assertThat(JsonFields.number(null, "count")).isZero();
    assertThat(JsonFields.string(json, "missing")).isNull();
  }

  @Test
  @DisplayName("objects() keeps the objects of an array in order and skips every other item")
  void objectsOfAnArray() {
    JsonArray mixed =
        new JsonArray()
            .add(new JsonObject().put("n", 1))
            .add("text")
            .addNull()
            .add(new JsonObject().put("n", 2));

    assertThat(JsonFields.objects(mixed))
        .extracting(item -> item.getInteger("n"))
        .containsExactly(1, 2);
    assertThat(JsonFields.objects(null)).isEmpty();
  }

  @Test
  @DisplayName("copy() deep-copies objects and arrays and returns any other value as it is")
  void copies() {
    JsonObject nested = new JsonObject().put("inner", new JsonObject().put("a", 1));

    JsonObject copied = (JsonObject) JsonFields.copy(nested);
    copied.getJsonObject("inner").put("a", 2);

    assertThat(nested.getJsonObject("inner").getInteger("a")).isEqualTo(1);
    assertThat(JsonFields.copy("text")).isEqualTo("text");
    assertThat(JsonFields.copy(null)).isNull();
  }
}
