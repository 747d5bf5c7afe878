package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A whole (non-streamed) answer, a {@code chat.completion}. The readers read choice 0, the only one
 * unless the request asked for {@code n > 1} ({@link Choices} reaches the others); the rewrites
 * edit every choice and return a copy, leaving the completion handed in as it was (the recorder
 * keeps it beside the final one).
 */
public final class Completions {

  private Completions() {}

  /**
   * {@code {id, object: "chat.completion", created, model, choices}}; add the usage with {@link
   * Usage#toJson()}.
   */
  public static JsonObject completion(
      String id, long created, String model, JsonObject... choices) {
    JsonArray array = new JsonArray();
    for (JsonObject choice : choices) {
      array.add(choice);
    }
    return new JsonObject()
        .put(Canonical.ID, id)
        .put(Canonical.OBJECT, Canonical.COMPLETION_OBJECT)
        .put(Canonical.CREATED, created)
        .put(Canonical.MODEL, model)
        .put(Canonical.CHOICES, array);
  }

  /**
   * {@code {index, message, logprobs: null, finish_reason}}: a whole answer's choice always states
   * its logprobs.
   */
  public static JsonObject choice(int index, JsonObject message, String finishReason) {
    return new JsonObject()
        .put(Canonical.INDEX, index)
        .put(Canonical.MESSAGE, message)
        .putNull(Canonical.LOGPROBS)
        .put(Canonical.FINISH_REASON, finishReason);
  }

  /** A choice's message, or null. */
  public static JsonObject message(JsonObject choice) {
    return JsonFields.object(choice, Canonical.MESSAGE);
  }

  /**
   * The answer's text (see {@link Messages#text}); null when it has none, as when it only calls
   * tools.
   */
  public static String text(JsonObject completion) {
    return Messages.text(message(Choices.first(completion)));
  }

  /** The tool calls of the answer, in order; empty when it makes none. */
  public static List<ToolCall> toolCalls(JsonObject completion) {
    return Messages.toolCalls(message(Choices.first(completion)));
  }

  /**
   * Why the answer ended ({@code stop}, {@code length}, {@code tool_calls}, {@code
   * content_filter}), or null.
   */
  public static String finishReason(JsonObject completion) {
    return Choices.finishReason(Choices.first(completion));
  }

  /** The answer's usage, or null when it reports none. */
  public static Usage usage(JsonObject completion) {
    return Usage.of(JsonFields.object(completion, Canonical.USAGE));
  }

  /**
   * A copy with every choice's message text passed through {@code edit}; a message without content
   * keeps none.
   */
  public static JsonObject mapText(JsonObject completion, UnaryOperator<String> edit) {
    JsonObject copy = completion.copy();
    for (JsonObject choice : Choices.of(copy)) {
      Content.mapText(message(choice), edit);
    }
    return copy;
  }

  /**
   * A copy whose choice 0 says exactly {@code text} (created as an assistant message when missing).
   */
  public static JsonObject withText(JsonObject completion, String text) {
    JsonObject copy = completion.copy();
    JsonObject choice = Choices.firstOrAdd(copy, choice(0, null, null));
    JsonObject message = message(choice);
    if (message == null) {
      choice.put(Canonical.MESSAGE, Messages.assistant(text));
    } else {
      message.put(Canonical.CONTENT, text);
    }
    return copy;
  }
}
