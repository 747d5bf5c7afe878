package io.luthien.canonical;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;

/** A canonical request, a chat-completions request body. */
public final class Requests {

  private Requests() {}

  /** The request's messages, in order; empty when it has none. */
  public static List<JsonObject> messages(JsonObject request) {
    return JsonFields.objects(JsonFields.array(request, Canonical.MESSAGES));
  }

  /**
   * A copy whose every message's text (string content or text parts, of every role) is {@code
   * edit}ed; tool calls and other fields are kept.
   */
  public static JsonObject mapMessageText(JsonObject request, UnaryOperator<String> edit) {
    JsonObject copy = request.copy();
    for (JsonObject message : messages(copy)) {
      Content.mapText(message, edit);
    }
    return copy;
  }

  /** The text of the last user message (see {@link Messages#text}), or "" when there is none. */
  public static String lastUserText(JsonObject request) {
    List<JsonObject> messages = messages(request);
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (Canonical.ROLE_USER.equals(Messages.role(messages.get(i)))) {
        String text = Messages.text(messages.get(i));
        return text == null ? "" : text;
      }
    }
    return "";
  }
}
