package io.luthien.gateway.upstream;

import io.luthien.canonical.Messages;
import io.luthien.canonical.Requests;
import io.luthien.canonical.Usage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What the mock provider makes of a request: its words and a word-count usage. */
final class MockConversation {

  private MockConversation() {}

  /**
   * Splits text into words that keep their trailing whitespace, so the chunks join back to the
   * text.
   */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      boolean boundary =
          i == text.length()
              || (Character.isWhitespace(text.charAt(i - 1))
                  && !Character.isWhitespace(text.charAt(i)));
      if (boundary) {
        words.add(text.substring(start, i));
        start = i;
      }
    }
    return words;
  }

  /**
   * A word is a token: the words of every message in the prompt, those of the answer in the
   * completion.
   */
  static Usage usage(JsonObject request, String completion) {
    int prompt = 0;
    for (JsonObject message : Requests.messages(request)) {
      String text = Messages.text(message);
      prompt += text == null ? 0 : words(text).size();
    }
    return Usage.of(prompt, words(completion).size());
  }
}
