package io.luthien.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Canonical;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers shared by the translation tests. */
final class Translations {

  private Translations() {}

  static JsonObject json(String text) {
    return new JsonObject(text);
  }

  /**
   * Asserts that {@code call} refuses with this status and param, and returns the error for further
   * checks.
   */
  static ApiError refusal(ThrowingCallable call, int status, String param) {
    List<ApiError> seen = new ArrayList<>();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(GatewayException.class, e -> seen.add(e.error()));
    ApiError error = seen.get(0);
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.param()).isEqualTo(param);
    return error;
  }

  /** Every extension key or kept-block part anywhere in {@code value}, as paths. */
  static List<String> extensions(Object value) {
    List<String> found = new ArrayList<>();
    collect(value, "$", found);
    return found;
  }

  private static void collect(Object value, String path, List<String> found) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        if (key.startsWith("x_anthropic")) {
          found.add(path + "." + key);
        }
        if (Canonical.BLOCK_PART.equals(object.getValue(key))) {
          found.add(path + "." + key + "=" + Canonical.BLOCK_PART);
        }
        collect(object.getValue(key), path + "." + key, found);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collect(array.getValue(i), path + "[" + i + "]", found);
      }
    }
  }
}
