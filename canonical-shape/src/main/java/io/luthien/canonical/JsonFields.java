package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Lenient reads of untrusted JSON: a missing object, a missing key and a value of the wrong type
 * all read as absent (null, or 0 for a number), never as an exception. Upstreams and policies both
 * produce the JSON these read.
 */
public final class JsonFields {

  private JsonFields() {}

  /** The string at {@code key}, or null. */
  public static String string(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String value ? value : null;
  }

  /** The object at {@code key}, or null. */
  public static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject value ? value : null;
  }

  /** The array at {@code key}, or null. */
  public static JsonArray array(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonArray value ? value : null;
  }

  /** The number at {@code key} as a long, or 0. */
  public static long number(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof Number value ? value.longValue() : 0;
  }

  /** The objects of {@code array}, in order, skipping any other item; empty for a null array. */
  public static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> objects = new ArrayList<>(array == null ? 0 : array.size());
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        if (array.getValue(i) instanceof JsonObject object) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  /** A deep copy of a JSON object or array; any other value is immutable and returned as it is. */
  public static Object copy(Object value) {
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    return value instanceof JsonArray array ? array.copy() : value;
  }
}
