package io.luthien.gateway.recording;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The top-level fields a policy changed, added or removed in a request: what the live feed shows.
 */
final class ChangedFields {

  private ChangedFields() {}

  static JsonArray between(JsonObject original, JsonObject changed) {
    JsonArray fields = new JsonArray();
    for (String name : original.fieldNames()) {
      if (!Objects.equals(original.getValue(name), changed.getValue(name))) {
        fields.add(name);
      }
    }
    for (String name : changed.fieldNames()) {
      if (!original.containsKey(name)) {
        fields.add(name);
      }
    }
    return fields;
  }
}
