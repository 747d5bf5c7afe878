package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Finds, removes and carries the Anthropic extensions of a canonical value: every extension key
 * starts with {@link #PREFIX}, and a kept block is a part whose {@code type} is {@link
 * Canonical#BLOCK_PART}. Traffic between OpenAI clients and OpenAI backends never has any, so
 * {@link #present} lets it pass without a copy.
 */
public final class Extensions {

  /** What every extension key starts with. */
  public static final String PREFIX = "x_anthropic";

  private Extensions() {}

  /**
   * True when {@code value} holds an extension key or a kept block at any depth; it is not copied
   * to find out.
   */
  public static boolean present(Object value) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (entry.getKey().startsWith(PREFIX)
            || (entry.getKey().equals(Canonical.TYPE)
                && Canonical.BLOCK_PART.equals(entry.getValue()))
            || present(entry.getValue())) {
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

  /**
   * {@code json} itself when it has no extension, else a deep copy without any extension key, at
   * any depth. Kept blocks (a request's business) are parts, not keys: they stay.
   */
  public static JsonObject stripped(JsonObject json) {
    if (!present(json)) {
      return json;
    }
    JsonObject copy = json.copy();
    removeKeys(copy);
    return copy;
  }

  /**
   * Puts every key of {@code source} outside {@code known} into {@code target}'s {@link
   * Canonical#EXTRA}.
   */
  public static JsonObject withExtras(JsonObject target, JsonObject source, Set<String> known) {
    JsonObject extras = new JsonObject();
    for (String key : source.fieldNames()) {
      if (!known.contains(key)) {
        extras.put(key, JsonFields.copy(source.getValue(key)));
      }
    }
    if (!extras.isEmpty()) {
      target.put(Canonical.EXTRA, extras);
    }
    return target;
  }

  /**
   * Copies the keys of {@code part}'s {@link Canonical#EXTRA} back onto {@code target}, never
   * overwriting.
   */
  public static JsonObject restoreExtras(JsonObject target, JsonObject part) {
    JsonObject extras = JsonFields.object(part, Canonical.EXTRA);
    if (extras != null) {
      for (String key : extras.fieldNames()) {
        if (!target.containsKey(key)) {
          target.put(key, JsonFields.copy(extras.getValue(key)));
        }
      }
    }
    return target;
  }

  private static void removeKeys(Object value) {
    if (value instanceof JsonObject object) {
      object.getMap().keySet().removeIf(key -> key.startsWith(PREFIX));
      for (Map.Entry<String, Object> entry : object) {
        removeKeys(entry.getValue());
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        removeKeys(item);
      }
    }
  }
}
