package io.luthien.debug;

import static io.luthien.shared.Fields.ERROR;
import static io.luthien.shared.Fields.FINAL;
import static io.luthien.shared.Fields.ORIGINAL;
import static io.luthien.shared.Fields.STATUS;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code response} part of a {@link CallDiff}: choices matched by their {@code index}, each
 * compared on what a reader looks at (text, tool calls, finish reason).
 */
final class ResponseDiff {

  private ResponseDiff() {}

  static JsonObject of(JsonObject payload) {
    JsonObject original = payload.getJsonObject(ORIGINAL);
    JsonObject revised = payload.getJsonObject(FINAL);
    return new JsonObject()
        .put(ORIGINAL, original)
        .put(FINAL, revised)
        .put("changed", !CallDiff.sameJson(original, revised))
        .put(STATUS, payload.getInteger(STATUS))
        .put(ERROR, payload.getJsonObject(ERROR))
        .put("choices", choices(choicesByIndex(original), choicesByIndex(revised)));
  }

  private static JsonArray choices(
      SortedMap<Integer, JsonObject> original, SortedMap<Integer, JsonObject> revised) {
    SortedSet<Integer> indexes = new TreeSet<>(original.keySet());
    indexes.addAll(revised.keySet());
    JsonArray entries = new JsonArray();
    for (int index : indexes) {
      JsonObject before = original.get(index);
      JsonObject after = revised.get(index);
      entries.add(
          new JsonObject()
              .put("index", index)
              .put(
                  "status",
                  CallDiff.status(before != null, after != null, CallDiff.sameJson(before, after)))
              .put("content", CallDiff.sideBySide(text(before), text(after)))
              .put("tool_calls", CallDiff.sideBySide(toolCalls(before), toolCalls(after)))
              .put(
                  "finish_reason",
                  CallDiff.sideBySide(Choices.finishReason(before), Choices.finishReason(after))));
    }
    return entries;
  }

  /**
   * Recorded responses are in the client's format: an Anthropic {@code message} stands for one
   * choice.
   */
  private static SortedMap<Integer, JsonObject> choicesByIndex(JsonObject response) {
    if (response != null && "message".equals(response.getValue("type"))) {
      SortedMap<Integer, JsonObject> single = new TreeMap<>();
      single.put(0, anthropicChoice(response));
      return single;
    }
    return Choices.byIndex(response);
  }

  /**
   * An Anthropic {@code message} read as one choice: its text blocks as the content, its {@code
   * tool_use} blocks as the tool calls, its {@code stop_reason} as the finish reason.
   */
  private static JsonObject anthropicChoice(JsonObject message) {
    JsonArray text = new JsonArray();
    JsonArray toolUses = new JsonArray();
    for (JsonObject block : JsonFields.objects(JsonFields.array(message, Canonical.CONTENT))) {
      if ("text".equals(block.getValue("type"))) {
        text.add(block);
      } else if ("tool_use".equals(block.getValue("type"))) {
        toolUses.add(block);
      }
    }
    return new JsonObject()
        .put(
            Canonical.MESSAGE,
            new JsonObject()
                .put(Canonical.CONTENT, text)
                .put(Canonical.TOOL_CALLS, toolUses.isEmpty() ? null : toolUses))
        .put(Canonical.FINISH_REASON, message.getValue("stop_reason"));
  }

  /**
   * The message text: the content string, or the text parts of an array content joined together.
   */
  private static String text(JsonObject choice) {
    return Messages.text(Completions.message(choice));
  }

  /** Compared as data: an OpenAI answer's tool calls, or an Anthropic answer's tool_use blocks. */
  private static JsonArray toolCalls(JsonObject choice) {
    return JsonFields.array(Completions.message(choice), Canonical.TOOL_CALLS);
  }
}
