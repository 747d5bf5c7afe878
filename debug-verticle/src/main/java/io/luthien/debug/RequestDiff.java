package io.luthien.debug;

import static io.luthien.shared.Fields.BLOCKED;
import static io.luthien.shared.Fields.FINAL;
import static io.luthien.shared.Fields.ORIGINAL;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code request} part of a {@link CallDiff}: messages compared by position, every other key as
 * a parameter.
 */
final class RequestDiff {

  private RequestDiff() {}

  static JsonObject of(JsonObject payload) {
    JsonObject original = payload.getJsonObject(ORIGINAL);
    JsonObject revised = payload.getJsonObject(FINAL);
    JsonObject blocked = payload.getJsonObject(BLOCKED);
    // A blocked request never got a final version: show it as it arrived, with the block beside it.
    JsonObject comparedTo = blocked != null ? original : revised;
    return new JsonObject()
        .put(ORIGINAL, original)
        .put(FINAL, revised)
        .put("changed", blocked != null || !CallDiff.sameJson(original, revised))
        .put(BLOCKED, blocked)
        .put(Canonical.MESSAGES, messages(messagesOf(original), messagesOf(comparedTo)))
        .put("parameters", parameters(original, comparedTo));
  }

  private static JsonArray messages(JsonArray original, JsonArray revised) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < Math.max(original.size(), revised.size()); i++) {
      boolean inOriginal = i < original.size();
      boolean inFinal = i < revised.size();
      Object before = inOriginal ? original.getValue(i) : null;
      Object after = inFinal ? revised.getValue(i) : null;
      entries.add(
          new JsonObject()
              .put("index", i)
              .put("status", CallDiff.status(inOriginal, inFinal, CallDiff.sameJson(before, after)))
              .put(ORIGINAL, before)
              .put(FINAL, after));
    }
    return entries;
  }

  private static JsonArray parameters(JsonObject original, JsonObject revised) {
    JsonObject before = original == null ? new JsonObject() : original;
    JsonObject after = revised == null ? new JsonObject() : revised;
    SortedSet<String> names = new TreeSet<>(before.fieldNames());
    names.addAll(after.fieldNames());
    names.remove(Canonical.MESSAGES);
    JsonArray entries = new JsonArray();
    for (String name : names) {
      Object beforeValue = before.getValue(name);
      Object afterValue = after.getValue(name);
      entries.add(
          new JsonObject()
              .put("name", name)
              .put(
                  "status",
                  CallDiff.status(
                      before.containsKey(name),
                      after.containsKey(name),
                      CallDiff.sameJson(beforeValue, afterValue)))
              .put(ORIGINAL, beforeValue)
              .put(FINAL, afterValue));
    }
    return entries;
  }

  /** Compared by position as data, items that are not objects included. */
  private static JsonArray messagesOf(JsonObject request) {
    JsonArray messages = JsonFields.array(request, Canonical.MESSAGES);
    return messages == null ? new JsonArray() : messages;
  }
}
