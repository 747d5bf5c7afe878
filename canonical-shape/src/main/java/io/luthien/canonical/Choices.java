package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code choices} of a completion or a chunk. A choice is known by its {@code index}; some
 * OpenAI-compatible servers leave it out, and then its position in the array stands in.
 */
public final class Choices {

  private Choices() {}

  /** The choice objects, in array order; empty when there are none. */
  public static List<JsonObject> of(JsonObject completionOrChunk) {
    return JsonFields.objects(JsonFields.array(completionOrChunk, Canonical.CHOICES));
  }

  /** The choices by index, in index order; of two choices with one index, the later one. */
  public static SortedMap<Integer, JsonObject> byIndex(JsonObject completionOrChunk) {
    SortedMap<Integer, JsonObject> byIndex = new TreeMap<>();
    List<JsonObject> choices = of(completionOrChunk);
    for (int position = 0; position < choices.size(); position++) {
      byIndex.put(index(choices.get(position), position), choices.get(position));
    }
    return byIndex;
  }

  /** Choice 0 (the one whose index is 0, or the first without an index), or null. */
  public static JsonObject first(JsonObject completionOrChunk) {
    List<JsonObject> choices = of(completionOrChunk);
    for (int position = 0; position < choices.size(); position++) {
      if (index(choices.get(position), position) == 0) {
        return choices.get(position);
      }
    }
    return null;
  }

  /**
   * Choice 0 of {@code json}, or {@code created} once added to its choices (and the array, when it
   * has none).
   */
  static JsonObject firstOrAdd(JsonObject json, JsonObject created) {
    JsonObject first = first(json);
    if (first != null) {
      return first;
    }
    JsonArray choices = JsonFields.array(json, Canonical.CHOICES);
    if (choices == null) {
      choices = new JsonArray();
      json.put(Canonical.CHOICES, choices);
    }
    choices.add(created);
    return created;
  }

  /** The choice's {@code index}, or {@code position} when it has none. */
  public static int index(JsonObject choice, int position) {
    return choice.getValue(Canonical.INDEX) instanceof Number index ? index.intValue() : position;
  }

  /** The choice's {@code finish_reason}, or null while it is still going. */
  public static String finishReason(JsonObject choice) {
    return JsonFields.string(choice, Canonical.FINISH_REASON);
  }

  /** Every finish reason the choices give, in array order (one per finished choice). */
  public static List<String> finishReasons(JsonObject completionOrChunk) {
    List<String> reasons = new ArrayList<>(1);
    for (JsonObject choice : of(completionOrChunk)) {
      String reason = finishReason(choice);
      if (reason != null) {
        reasons.add(reason);
      }
    }
    return reasons;
  }
}
