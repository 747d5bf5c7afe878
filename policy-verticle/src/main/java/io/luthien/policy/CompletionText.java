package io.luthien.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Helpers that read and rewrite the text and tool calls of OpenAI-shaped responses and chunks. Rewrites
 * return a copy: the object handed in stays as it was, because the recorder needs the original beside the final.
 */
public final class CompletionText {

  private CompletionText() {
  }

  /** A copy of a whole response with every {@code choices[].message.content} text passed through {@code edit}. */
  public static JsonObject mapMessageContent(JsonObject response, UnaryOperator<String> edit) {
    return mapChoices(response, "message", edit);
  }

  /** A copy of a stream chunk with every {@code choices[].delta.content} text passed through {@code edit}. */
  public static JsonObject mapDeltaContent(JsonObject chunk, UnaryOperator<String> edit) {
    return mapChoices(chunk, "delta", edit);
  }

  /** The text a chunk adds, over all its choices ("" when it carries none). */
  public static String deltaText(JsonObject chunk) {
    StringBuilder text = new StringBuilder();
    for (JsonObject choice : choices(chunk)) {
      JsonObject delta = choice.getJsonObject("delta");
      if (delta != null && delta.getValue("content") instanceof String content) {
        text.append(content);
      }
    }
    return text.toString();
  }

  /** The tool-call fragments a chunk carries ({@code choices[].delta.tool_calls[]}), in order. */
  public static List<JsonObject> toolCallDeltas(JsonObject chunk) {
    List<JsonObject> calls = new ArrayList<>();
    for (JsonObject choice : choices(chunk)) {
      JsonObject delta = choice.getJsonObject("delta");
      JsonArray toolCalls = delta == null ? null : delta.getJsonArray("tool_calls");
      if (toolCalls != null) {
        for (int i = 0; i < toolCalls.size(); i++) {
          calls.add(toolCalls.getJsonObject(i));
        }
      }
    }
    return calls;
  }

  private static JsonObject mapChoices(JsonObject source, String part, UnaryOperator<String> edit) {
    JsonObject copy = source.copy();
    for (JsonObject choice : choices(copy)) {
      JsonObject holder = choice.getJsonObject(part);
      if (holder != null && holder.containsKey("content")) {
        holder.put("content", mapContent(holder.getValue("content"), edit));
      }
    }
    return copy;
  }

  private static Object mapContent(Object content, UnaryOperator<String> edit) {
    if (content instanceof String text) {
      return edit.apply(text);
    }
    if (content instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && "text".equals(part.getString("type"))
            && part.getValue("text") instanceof String text) {
          part.put("text", edit.apply(text));
        }
      }
    }
    return content;
  }

  private static List<JsonObject> choices(JsonObject source) {
    JsonArray choices = source.getJsonArray("choices");
    List<JsonObject> result = new ArrayList<>();
    if (choices != null) {
      for (int i = 0; i < choices.size(); i++) {
        if (choices.getValue(i) instanceof JsonObject choice) {
          result.add(choice);
        }
      }
    }
    return result;
  }
}
