package io.luthien.shared;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code conversation_events} stores a request or response event's payload: its {@code final}
 * only when it differs from its {@code original}. Most calls pass their policy unchanged, and
 * storing the same answer twice doubled what PostgreSQL parses and writes. Every query reads a
 * payload whole through the SQL function {@code luthien_payload(payload)} (migration V5).
 */
public final class StoredPayloads {

  private StoredPayloads() {}

  /**
   * The payload as it is stored: without {@code final} when it equals a non-null {@code original};
   * the given object is left as it is.
   */
  public static JsonObject stored(JsonObject payload) {
    Object original = payload.getValue(Fields.ORIGINAL);
    if (original == null
        || !payload.containsKey(Fields.FINAL)
        || !original.equals(payload.getValue(Fields.FINAL))) {
      return payload;
    }
    Map<String, Object> fields = new LinkedHashMap<>(payload.getMap());
    fields.remove(Fields.FINAL);
    return new JsonObject(fields);
  }
}
