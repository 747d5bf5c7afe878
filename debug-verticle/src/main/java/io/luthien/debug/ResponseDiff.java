package io.luthien.debug;

import static io.luthien.shared.Fields.ERROR;
import static io.luthien.shared.Fields.FINAL;
import static io.luthien.shared.Fields.ORIGINAL;
import static io.luthien.shared.Fields.STATUS;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code response} part of a {@link CallDiff}: choices matched by their {@code index}, each compared on what a
 * reader looks at (text, tool calls, finish reason).
 */
final class ResponseDiff {

  private ResponseDiff() {
  }

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

  private static JsonArray choices(Map<Integer, JsonObject> original, Map<Integer, JsonObject> revised) {
    SortedSet<Integer> indexes = new TreeSet<>(original.keySet());
    indexes.addAll(revised.keySet());
    JsonArray entries = new JsonArray();
    for (int index : indexes) {
      JsonObject before = original.get(index);
      JsonObject after = revised.get(index);
      entries.add(new JsonObject()
          .put("index", index)
          .put("status", CallDiff.status(before != null, after != null, CallDiff.sameJson(before, after)))
          .put("content", CallDiff.sideBySide(text(before), text(after)))
          .put("tool_calls", CallDiff.sideBySide(toolCalls(before), toolCalls(after)))
          .put("finish_reason", CallDiff.sideBySide(finishReason(before), finishReason(after))));
    }
    return entries;
  }

  private static Map<Integer, JsonObject> choicesByIndex(JsonObject response) {
    Map<Integer, JsonObject> byIndex = new TreeMap<>();
    if (response != null && "message".equals(response.getValue("type"))) {
      byIndex.put(0, anthropicChoice(response));
      return byIndex;
    }
    if (response != null && response.getValue("choices") instanceof JsonArray choices) {
      for (int i = 0; i < choices.size(); i++) {
        if (choices.getValue(i) instanceof JsonObject choice) {
          byIndex.put(choice.getValue("index") instanceof Number index ? index.intValue() : i, choice);
        }
      }
    }
    return byIndex;
  }

  /**
   * An Anthropic {@code message} read as one choice: its text blocks as the content, its {@code tool_use} blocks as
   * the tool calls, its {@code stop_reason} as the finish reason.
   */
  private static JsonObject anthropicChoice(JsonObject message) {
    JsonArray text = new JsonArray();
    JsonArray toolUses = new JsonArray();
    if (message.getValue("content") instanceof JsonArray blocks) {
      for (int i = 0; i < blocks.size(); i++) {
        if (blocks.getValue(i) instanceof JsonObject block) {
          if ("text".equals(block.getValue("type"))) {
            text.add(block);
          } else if ("tool_use".equals(block.getValue("type"))) {
            toolUses.add(block);
          }
        }
      }
    }
    JsonObject choice = new JsonObject().put("message", new JsonObject().put("content", text)
        .put("tool_calls", toolUses.isEmpty() ? null : toolUses));
    return choice.put("finish_reason", message.getValue("stop_reason"));
  }

  /** The message text: the content string, or the text parts of an array content joined together. */
  private static String text(JsonObject choice) {
    Object content = message(choice).getValue("content");
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && part.getValue("text") instanceof String partText) {
          text.append(partText);
        }
      }
      return text.toString();
    }
    return null;
  }

  private static JsonArray toolCalls(JsonObject choice) {
    return message(choice).getValue("tool_calls") instanceof JsonArray calls ? calls : null;
  }

  private static String finishReason(JsonObject choice) {
    return choice != null && choice.getValue("finish_reason") instanceof String reason ? reason : null;
  }

  private static JsonObject message(JsonObject choice) {
    return choice != null && choice.getValue("message") instanceof JsonObject message ? message : new JsonObject();
  }
}
