package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChoicesTest {

  private static JsonObject choice(Integer index, String finishReason) {
    JsonObject choice = new JsonObject().put("finish_reason", finishReason);
    return index == null ? choice : choice.put("index", index);
  }

  private static JsonObject withChoices(Object... choices) {
    return new JsonObject().put("choices", new JsonArray(List.of(choices)));
  }

  @Test
  @DisplayName(
      "of() lists the choice objects in array order and skips anything else; no choices is an empty list")
  void listsChoices() {
    JsonObject completion = withChoices(choice(1, "stop"), "junk", choice(0, null));

    assertThat(Choices.of(completion)).containsExactly(choice(1, "stop"), choice(0, null));
    assertThat(Choices.of(new JsonObject())).isEmpty();
    assertThat(Choices.of(new JsonObject().put("choices", "not an array"))).isEmpty();
  }

  @Test
  @DisplayName(
      "byIndex() orders choices by their index, and a choice without one is known by its position")
  void byIndex() {
    JsonObject chunk = withChoices(choice(2, "length"), choice(null, "stop"), choice(0, null));

    assertThat(Choices.byIndex(chunk)).containsOnlyKeys(0, 1, 2);
    assertThat(Choices.byIndex(chunk).firstKey()).isZero();
    assertThat(Choices.byIndex(chunk).get(1)).isEqualTo(choice(null, "stop"));
    assertThat(Choices.byIndex(chunk).get(2)).isEqualTo(choice(2, "length"));
  }

  @Test
  @DisplayName("first() is the choice whose index is 0, wherever it stands, or null without one")
  void firstIsIndexZero() {
    assertThat(Choices.first(withChoices(choice(1, "a"), choice(0, "b"))))
        .isEqualTo(choice(0, "b"));
    assertThat(Choices.first(withChoices(choice(null, "c")))).isEqualTo(choice(null, "c"));
    assertThat(Choices.first(withChoices(choice(1, "a")))).isNull();
    assertThat(Choices.first(new JsonObject())).isNull();
  }

  @Test
  @DisplayName(
      "finish reasons are read one per finished choice, in order; a running choice has none")
  void finishReasons() {
    JsonObject completion = withChoices(choice(0, "stop"), choice(1, null), choice(2, "length"));

    assertThat(Choices.finishReasons(completion)).containsExactly("stop", "length");
    assertThat(Choices.finishReason(choice(1, null))).isNull();
    assertThat(Choices.finishReason(new JsonObject().put("finish_reason", 3))).isNull();
  }
}
