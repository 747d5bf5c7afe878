package io.luthien.recorder;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a call's {@code request} and {@code response} events add to its {@code search_text}: the
 * text of the user messages the request brought (those after the last assistant message, so an
 * agent's ever-growing history is not indexed again on every call) and the assistant's answer, from
 * the {@code final} payload (the {@code original} when the policy blocked), in whichever of the
 * client formats it was recorded: OpenAI chat, Anthropic Messages or OpenAI Responses. Each side is
 * bounded to {@link #MAX_CHARS}, so a call adds at most 64 KiB of text.
 */
final class SearchText {

  static final int MAX_CHARS = 32 * 1024;

  private SearchText() {}

  /** The event's text, or null when it adds none. */
  static String of(String eventType, JsonObject payload) {
    JsonObject side = side(payload);
    if (side == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    if (Fields.EVENT_REQUEST.equals(eventType)) {
      userText(side, text);
    } else if (Fields.EVENT_RESPONSE.equals(eventType)) {
      assistantText(side, text);
    }
    return bounded(text);
  }

  private static JsonObject side(JsonObject payload) {
    if (payload.getValue(Fields.FINAL) instanceof JsonObject last) {
      return last;
    }
    return payload.getValue(Fields.ORIGINAL) instanceof JsonObject first ? first : null;
  }

  /** Chat and Messages: {@code messages}; Responses: {@code input}, a string or items. */
  private static void userText(JsonObject request, StringBuilder text) {
    Object conversation =
        request.containsKey("messages") ? request.getValue("messages") : request.getValue("input");
    if (conversation instanceof String prompt) {
      append(text, prompt);
      return;
    }
    if (!(conversation instanceof JsonArray items)) {
      return;
    }
    int from = items.size();
    while (from > 0 && !isAssistant(items.getValue(from - 1))) {
      from--;
    }
    for (int i = from; i < items.size(); i++) {
      if (items.getValue(i) instanceof JsonObject item && "user".equals(item.getValue("role"))) {
        content(item.getValue("content"), text);
      }
    }
  }

  private static boolean isAssistant(Object item) {
    return item instanceof JsonObject message
        && ("assistant".equals(message.getValue("role"))
            || "function_call".equals(message.getValue("type")));
  }

  /**
   * Chat: {@code choices[].message.content}; Messages: {@code content}; Responses: {@code output}.
   */
  private static void assistantText(JsonObject response, StringBuilder text) {
    if (response.getValue("choices") instanceof JsonArray choices) {
      for (Object choice : choices) {
        if (choice instanceof JsonObject one && one.getValue("message") instanceof JsonObject m) {
          content(m.getValue("content"), text);
        }
      }
    } else if (response.getValue("output") instanceof JsonArray output) {
      for (Object item : output) {
        if (item instanceof JsonObject message && "message".equals(message.getValue("type"))) {
          content(message.getValue("content"), text);
        }
      }
    } else {
      content(response.getValue("content"), text);
    }
  }

  /** A string, or parts whose text is in {@code text} ({@code text}, {@code *_text} parts). */
  private static void content(Object content, StringBuilder text) {
    if (content instanceof String plain) {
      append(text, plain);
    } else if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject block
            && block.getValue("type") instanceof String type
            && (type.equals("text") || type.endsWith("_text"))
            && block.getValue("text") instanceof String value) {
          append(text, value);
        }
      }
    }
  }

  private static void append(StringBuilder text, String more) {
    if (text.length() < MAX_CHARS && !more.isBlank()) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(more, 0, Math.min(more.length(), MAX_CHARS - text.length()));
    }
  }

  private static String bounded(StringBuilder text) {
    if (text.isEmpty()) {
      return null;
    }
    int end = text.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    // PostgreSQL text holds no NUL character
    return text.substring(0, end).replace('\0', ' ');
  }
}
