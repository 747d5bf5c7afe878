package io.luthien.gateway.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What the mock provider makes of a request: its words and a word-count usage. */
final class MockConversation {

  private MockConversation() {
  }

  /** Splits text into words that keep their trailing whitespace, so the chunks join back to the text. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      boolean boundary = i == text.length()
          || (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i)));
      if (boundary) {
        words.add(text.substring(start, i));
        start = i;
      }
    }
    return words;
  }

  static JsonObject usage(JsonObject request, String completion) {
    int prompt = 0;
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = 0; i < messages.size(); i++) {
      if (messages.getValue(i) instanceof JsonObject message) {
        prompt += words(ChatText.of(message.getValue("content"))).size();
      }
    }
    int completionTokens = words(completion).size();
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", prompt + completionTokens);
  }
}
