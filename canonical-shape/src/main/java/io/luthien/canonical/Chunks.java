package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One streamed {@code chat.completion.chunk}. A chunk normally carries one choice (a stream with
 * {@code n > 1} sends each choice in chunks of its own), so the readers read what the chunk's
 * choices say together; {@link Choices} and {@link Deltas} read them one by one. The rewrites
 * return a copy, leaving the chunk handed in as it was.
 */
public final class Chunks {

  private Chunks() {}

  /**
   * {@code {id, object: "chat.completion.chunk", created, model, choices: [{index: 0, delta,
   * finish_reason}]}}, the one-choice chunk a stream is made of.
   */
  public static JsonObject chunk(
      String id, long created, String model, JsonObject delta, String finishReason) {
    return header(id, created, model)
        .put(Canonical.CHOICES, new JsonArray().add(choice(0, delta, finishReason)));
  }

  /** {@code {index, delta, finish_reason}}. */
  public static JsonObject choice(int index, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put(Canonical.INDEX, index)
        .put(Canonical.DELTA, delta)
        .put(Canonical.FINISH_REASON, finishReason);
  }

  /** The chunk that ends a stream asked to include usage: no choices, only the usage. */
  public static JsonObject usageChunk(String id, long created, String model, Usage usage) {
    return header(id, created, model)
        .put(Canonical.CHOICES, new JsonArray())
        .put(Canonical.USAGE, usage.toJson());
  }

  /** A choice's delta, or null. */
  public static JsonObject delta(JsonObject choice) {
    return JsonFields.object(choice, Canonical.DELTA);
  }

  /** The text the chunk adds, over its choices in order; "" when it adds none. */
  public static String textDelta(JsonObject chunk) {
    StringBuilder text = new StringBuilder();
    for (JsonObject choice : Choices.of(chunk)) {
      text.append(Deltas.text(delta(choice)));
    }
    return text.toString();
  }

  /** The tool-call fragments the chunk carries, over its choices in order. */
  public static List<ToolCallDelta> toolCallDeltas(JsonObject chunk) {
    List<ToolCallDelta> calls = new ArrayList<>();
    for (JsonObject choice : Choices.of(chunk)) {
      calls.addAll(Deltas.toolCalls(delta(choice)));
    }
    return calls;
  }

  /** The role the chunk announces (first chunk of a stream), or null. */
  public static String role(JsonObject chunk) {
    for (JsonObject choice : Choices.of(chunk)) {
      String role = Deltas.role(delta(choice));
      if (role != null) {
        return role;
      }
    }
    return null;
  }

  /** The finish reason the chunk gives (the stream's last choice chunk), or null. */
  public static String finishReason(JsonObject chunk) {
    List<String> reasons = Choices.finishReasons(chunk);
    return reasons.isEmpty() ? null : reasons.get(0);
  }

  /**
   * The usage the chunk reports (usually only the last one, when the request asked for it), or
   * null.
   */
  public static Usage usage(JsonObject chunk) {
    return Usage.of(JsonFields.object(chunk, Canonical.USAGE));
  }

  /**
   * A copy with every choice's delta text passed through {@code edit}; a delta without content
   * keeps none.
   */
  public static JsonObject mapTextDelta(JsonObject chunk, UnaryOperator<String> edit) {
    JsonObject copy = chunk.copy();
    for (JsonObject choice : Choices.of(copy)) {
      Content.mapText(delta(choice), edit);
    }
    return copy;
  }

  /**
   * A copy whose choice 0 adds exactly {@code text}, its other delta fields (role, tool calls)
   * kept; choice 0 and its delta are created when missing, as in a usage-only chunk.
   */
  public static JsonObject withTextDelta(JsonObject chunk, String text) {
    JsonObject copy = chunk.copy();
    JsonObject choice = Choices.firstOrAdd(copy, choice(0, new JsonObject(), null));
    JsonObject delta = delta(choice);
    if (delta == null) {
      delta = new JsonObject();
      choice.put(Canonical.DELTA, delta);
    }
    delta.put(Canonical.CONTENT, text);
    return copy;
  }

  private static JsonObject header(String id, long created, String model) {
    return new JsonObject()
        .put(Canonical.ID, id)
        .put(Canonical.OBJECT, Canonical.CHUNK_OBJECT)
        .put(Canonical.CREATED, created)
        .put(Canonical.MODEL, model);
  }
}
