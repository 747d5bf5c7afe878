package io.luthien.gateway.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The text of OpenAI chat messages: a string content, or the text parts of an array content joined. */
public final class ChatText {

  private ChatText() {
  }

  /** The text of the last user message, or "" when there is none. */
  public static String lastUserText(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject message && "user".equals(message.getString("role"))) {
        return of(message.getValue("content"));
      }
    }
    return "";
  }

  static String of(Object content) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder joined = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && part.getValue("text") instanceof String text) {
          joined.append(text);
        }
      }
    }
    return joined.toString();
  }
}
