package io.luthien.gateway.recording;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the {@code chat.completion.chunk} objects of one OpenAI stream into the {@code chat.completion} a
 * non-streamed call would have returned. {@link #add} runs once per chunk on the streaming hot path, so it only
 * appends fragments to builders; the response is assembled once, by {@link #result}.
 */
final class StreamReconstructor {

  private Object id;
  private Object model;
  private Object created;
  private Object systemFingerprint;
  private JsonObject usage;
  private final Map<Integer, ChoiceAccumulator> choices = new TreeMap<>();

  void add(JsonObject chunk) {
    id = firstNonNull(id, chunk, "id");
    model = firstNonNull(model, chunk, "model");
    created = firstNonNull(created, chunk, "created");
    systemFingerprint = firstNonNull(systemFingerprint, chunk, "system_fingerprint");
    if (chunk.getValue("usage") instanceof JsonObject chunkUsage) {
      usage = chunkUsage.copy();
    }
    if (chunk.getValue("choices") instanceof JsonArray chunkChoices) {
      for (int i = 0; i < chunkChoices.size(); i++) {
        if (chunkChoices.getValue(i) instanceof JsonObject choice) {
          choices.computeIfAbsent(indexOf(choice, i), index -> new ChoiceAccumulator()).add(choice);
        }
      }
    }
  }

  /** A new {@code chat.completion} holding everything added so far; empty choices when no chunk carried any. */
  JsonObject result() {
    JsonObject completion = new JsonObject();
    putIfSeen(completion, "id", id);
    completion.put("object", "chat.completion");
    putIfSeen(completion, "created", created);
    putIfSeen(completion, "model", model);
    putIfSeen(completion, "system_fingerprint", systemFingerprint);
    JsonArray builtChoices = new JsonArray();
    choices.forEach((index, choice) -> builtChoices.add(choice.toJson(index)));
    completion.put("choices", builtChoices);
    if (usage != null) {
      completion.put("usage", usage.copy());
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

  /** The {@code index} field; some OpenAI-compatible servers leave it out, and then the array position stands in. */
  private static int indexOf(JsonObject item, int position) {
    return item.getValue("index") instanceof Number index ? index.intValue() : position;
  }

  private static void appendTo(StringBuilder builder, Object fragment) {
    if (fragment instanceof String text) {
      builder.append(text);
    }
  }

  private static final class ChoiceAccumulator {

    private String role;
    private final StringBuilder content = new StringBuilder();
    private StringBuilder refusal;
    private String finishReason;
    private final Map<Integer, ToolCallAccumulator> toolCalls = new TreeMap<>();

    void add(JsonObject choice) {
      if (choice.getValue("finish_reason") instanceof String reason) {
        finishReason = reason;
      }
      if (!(choice.getValue("delta") instanceof JsonObject delta)) {
        return;
      }
      if (role == null && delta.getValue("role") instanceof String deltaRole) {
        role = deltaRole;
      }
      appendTo(content, delta.getValue("content"));
      if (delta.getValue("refusal") instanceof String text) {
        if (refusal == null) {
          refusal = new StringBuilder();
        }
        refusal.append(text);
      }
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (int i = 0; i < calls.size(); i++) {
          if (calls.getValue(i) instanceof JsonObject call) {
            toolCalls.computeIfAbsent(indexOf(call, i), index -> new ToolCallAccumulator()).add(call);
          }
        }
      }
    }

    JsonObject toJson(int index) {
      JsonObject message = new JsonObject().put("role", role == null ? "assistant" : role);
      // A non-streamed tool-call answer has content null, even though streams often open with content "".
      boolean toolCallsOnly = !toolCalls.isEmpty() && content.length() == 0;
      message.put("content", toolCallsOnly ? null : content.toString());
      if (refusal != null) {
        message.put("refusal", refusal.toString());
      }
      if (!toolCalls.isEmpty()) {
        JsonArray calls = new JsonArray();
        toolCalls.forEach((callIndex, call) -> calls.add(call.toJson()));
        message.put("tool_calls", calls);
      }
      return new JsonObject()
          .put("index", index)
          .put("message", message)
          .put("finish_reason", finishReason);
    }
  }

  private static final class ToolCallAccumulator {

    private String id;
    private String type;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();

    void add(JsonObject call) {
      if (id == null && call.getValue("id") instanceof String callId) {
        id = callId;
      }
      if (type == null && call.getValue("type") instanceof String callType) {
        type = callType;
      }
      if (call.getValue("function") instanceof JsonObject function) {
        appendTo(name, function.getValue("name"));
        appendTo(arguments, function.getValue("arguments"));
      }
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("type", type == null ? "function" : type)
          .put("function", new JsonObject()
              .put("name", name.toString())
              .put("arguments", arguments.toString()));
    }
  }
}
