package io.luthien.canonical;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One chat message: a request's {@code messages[]} item, or a whole answer's {@code
 * choices[].message}.
 */
public final class Messages {

  private Messages() {}

  /** {@code {role: "assistant", content: text}}. */
  public static JsonObject assistant(String text) {
    return new JsonObject()
        .put(Canonical.ROLE, Canonical.ROLE_ASSISTANT)
        .put(Canonical.CONTENT, text);
  }

  /** The message's role, or null. */
  public static String role(JsonObject message) {
    return JsonFields.string(message, Canonical.ROLE);
  }

  /**
   * The message's text: its string content, or the text of its parts joined; null when it has no
   * content (an answer that only calls tools).
   */
  public static String text(JsonObject message) {
    return message == null ? null : Content.text(message.getValue(Canonical.CONTENT));
  }

  /** The tool calls the message makes, in order; empty when it makes none. */
  public static List<ToolCall> toolCalls(JsonObject message) {
    return JsonFields.objects(JsonFields.array(message, Canonical.TOOL_CALLS)).stream()
        .map(ToolCall::of)
        .toList();
  }
}
