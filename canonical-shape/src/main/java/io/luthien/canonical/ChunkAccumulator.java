package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the chunks of one stream into the {@code chat.completion} a non-streamed call would have
 * returned: text and refusals joined, tool calls rebuilt from their fragments, the last finish
 * reason and usage, the first id, model, created and system fingerprint. {@link #add} runs once per
 * chunk on a streaming hot path, so it only appends fragments; the completion is assembled once, by
 * {@link #completion}. One stream per instance; not thread-safe.
 */
public final class ChunkAccumulator {

  private static final String SYSTEM_FINGERPRINT = "system_fingerprint";

  private Object id;
  private Object model;
  private Object created;
  private Object systemFingerprint;
  private JsonObject usage;
  private final Map<Integer, ChoiceAccumulator> choices = new TreeMap<>();

  /** Adds one chunk; the accumulator keeps no reference to it. */
  public void add(JsonObject chunk) {
    id = firstNonNull(id, chunk, Canonical.ID);
    model = firstNonNull(model, chunk, Canonical.MODEL);
    created = firstNonNull(created, chunk, Canonical.CREATED);
    systemFingerprint = firstNonNull(systemFingerprint, chunk, SYSTEM_FINGERPRINT);
    JsonObject chunkUsage = JsonFields.object(chunk, Canonical.USAGE);
    if (chunkUsage != null) {
      usage = chunkUsage.copy();
    }
    List<JsonObject> chunkChoices = Choices.of(chunk);
    for (int position = 0; position < chunkChoices.size(); position++) {
      JsonObject choice = chunkChoices.get(position);
      choices
          .computeIfAbsent(Choices.index(choice, position), index -> new ChoiceAccumulator())
          .add(choice);
    }
  }

  /**
   * A new {@code chat.completion} holding everything added so far; empty choices when no chunk
   * carried any.
   */
  public JsonObject completion() {
    JsonObject completion = new JsonObject();
    putIfSeen(completion, Canonical.ID, id);
    completion.put(Canonical.OBJECT, Canonical.COMPLETION_OBJECT);
    putIfSeen(completion, Canonical.CREATED, created);
    putIfSeen(completion, Canonical.MODEL, model);
    putIfSeen(completion, SYSTEM_FINGERPRINT, systemFingerprint);
    JsonArray builtChoices = new JsonArray();
    choices.forEach((index, choice) -> builtChoices.add(choice.toJson(index)));
    completion.put(Canonical.CHOICES, builtChoices);
    if (usage != null) {
      completion.put(Canonical.USAGE, usage.copy());
    }
    return completion;
  }

  private static Object firstNonNull(Object current, JsonObject source, String key) {
    return current != null ? current : source.getValue(key);
  }

  private static void putIfSeen(JsonObject target, String key, Object value) {
    if (value != null) {
      target.put(key, value);
    }
  }

  private static final class ChoiceAccumulator {

    private String role;
    private final StringBuilder content = new StringBuilder();
    private StringBuilder refusal;
    private String finishReason;
    private final Map<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();

    void add(JsonObject choice) {
      String reason = Choices.finishReason(choice);
      if (reason != null) {
        finishReason = reason;
      }
      JsonObject delta = Chunks.delta(choice);
      if (delta == null) {
        return;
      }
      if (role == null) {
        role = Deltas.role(delta);
      }
      content.append(Deltas.text(delta));
      String refused = JsonFields.string(delta, Canonical.REFUSAL);
      if (refused != null) {
        if (refusal == null) {
          refusal = new StringBuilder();
        }
        refusal.append(refused);
      }
      for (ToolCallDelta fragment : Deltas.toolCalls(delta)) {
        toolCalls.computeIfAbsent(fragment.index(), index -> new ToolCallBuilder()).add(fragment);
      }
    }

    JsonObject toJson(int index) {
      JsonObject message =
          new JsonObject().put(Canonical.ROLE, role == null ? Canonical.ROLE_ASSISTANT : role);
      // A non-streamed tool-call answer has content null, even though streams often open with
      // content "".
      boolean toolCallsOnly = !toolCalls.isEmpty() && content.length() == 0;
      message.put(Canonical.CONTENT, toolCallsOnly ? null : content.toString());
      if (refusal != null) {
        message.put(Canonical.REFUSAL, refusal.toString());
      }
      if (!toolCalls.isEmpty()) {
        JsonArray calls = new JsonArray();
        toolCalls.forEach((callIndex, call) -> calls.add(call.build().toJson()));
        message.put(Canonical.TOOL_CALLS, calls);
      }
      return new JsonObject()
          .put(Canonical.INDEX, index)
          .put(Canonical.MESSAGE, message)
          .put(Canonical.FINISH_REASON, finishReason);
    }
  }
}
