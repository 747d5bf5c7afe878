package io.luthien.gateway.translate;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Lenient reads of untrusted JSON (a wrong type reads as absent) and the extension-key bookkeeping. */
final class JsonFields {

  private JsonFields() {
  }

  static String string(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String value ? value : null;
  }

  static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject value ? value : null;
  }

  static long number(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof Number value ? value.longValue() : 0;
  }

  /** Puts every key of {@code source} outside {@code known} into {@code target}'s {@link Canonical#EXTRA}. */
  static JsonObject withExtras(JsonObject target, JsonObject source, Set<String> known) {
    JsonObject extras = new JsonObject();
    for (String key : source.fieldNames()) {
      if (!known.contains(key)) {
        extras.put(key, copy(source.getValue(key)));
      }
    }
    if (!extras.isEmpty()) {
      target.put(Canonical.EXTRA, extras);
    }
    return target;
  }

  /** Copies the keys of {@code part}'s {@link Canonical#EXTRA} back onto {@code target}, never overwriting. */
  static JsonObject restoreExtras(JsonObject target, JsonObject part) {
    JsonObject extras = object(part, Canonical.EXTRA);
    if (extras != null) {
      for (String key : extras.fieldNames()) {
        if (!target.containsKey(key)) {
          target.put(key, copy(extras.getValue(key)));
        }
      }
    }
    return target;
  }

  static Object copy(Object value) {
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    return value instanceof io.vertx.core.json.JsonArray array ? array.copy() : value;
  }
}
