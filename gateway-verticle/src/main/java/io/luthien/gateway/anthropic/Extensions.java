package io.luthien.gateway.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Finds the Anthropic extensions in a canonical value without copying it: every extension key starts with
 * {@link #PREFIX}, and a kept block is a part whose {@code type} is {@link Canonical#BLOCK_PART}. Traffic between
 * OpenAI clients and OpenAI backends never has any, so it need not be copied to have them removed.
 */
final class Extensions {

  static final String PREFIX = "x_anthropic";

  private Extensions() {
  }

  static boolean present(Object value) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (entry.getKey().startsWith(PREFIX) || (entry.getKey().equals("type")
            && Canonical.BLOCK_PART.equals(entry.getValue())) || present(entry.getValue())) {
          return true;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (present(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
