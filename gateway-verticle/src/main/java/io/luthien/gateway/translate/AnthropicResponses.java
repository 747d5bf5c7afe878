package io.luthien.gateway.translate;

import io.luthien.canonical.AnthropicUsage;
import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.Messages;
import io.luthien.canonical.StopReasons;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A whole (non-streaming) answer, Anthropic {@code message} ↔ canonical {@code chat.completion}.
 * Top-level fields OpenAI has no name for ({@code stop_reason}, {@code stop_sequence}, {@code
 * container}...) ride in {@link Canonical#EXTRA}; blocks OpenAI cannot show (server tool results,
 * citations) are kept on the message and restored as long as a policy left the answer's text and
 * tool calls alone.
 */
public final class AnthropicResponses {

  private static final String ANTHROPIC_ID = "msg_";
  private static final String OPENAI_ID = "chatcmpl-";
  private static final Set<String> MESSAGE_KEYS =
      Set.of("id", "type", "role", "model", "content", "usage");
  private static final Set<String> PLAIN_TEXT_KEYS = Set.of("type", "text");

  private AnthropicResponses() {}

  /** An Anthropic backend's {@code message} → the canonical {@code chat.completion}. */
  public static JsonObject toCanonical(JsonObject message) {
    JsonArray content = JsonFields.array(message, "content");
    JsonObject completion =
        Completions.completion(
            swapPrefix(JsonFields.string(message, "id"), ANTHROPIC_ID, OPENAI_ID),
            System.currentTimeMillis() / 1000,
            JsonFields.string(message, "model"),
            Completions.choice(
                0,
                assistantMessage(content == null ? new JsonArray() : content),
                StopReasons.toFinishReason(JsonFields.string(message, "stop_reason"))));
    JsonObject usage = JsonFields.object(message, "usage");
    if (usage != null) {
      completion.put(Canonical.USAGE, AnthropicUsage.toCanonical(usage).toJson());
    }
    Extensions.withExtras(completion, message, MESSAGE_KEYS);
    return completion;
  }

  /**
   * A canonical {@code chat.completion} → the Anthropic {@code message} for an Anthropic client.
   */
  public static JsonObject fromCanonical(JsonObject completion, String requestModel) {
    JsonObject message = Completions.message(Choices.first(completion));
    String finishReason = Completions.finishReason(completion);
    JsonObject extra = JsonFields.object(completion, Canonical.EXTRA);
    String keptStopReason = JsonFields.string(extra, "stop_reason");
    boolean stopReasonHolds =
        keptStopReason != null && StopReasons.toFinishReason(keptStopReason).equals(finishReason);
    Object model = completion.getValue("model");
    JsonObject out =
        new JsonObject()
            .put("id", anthropicId(JsonFields.string(completion, "id")))
            .put("type", "message")
            .put("role", "assistant")
            .put("model", model != null ? model : requestModel)
            .put("content", message == null ? new JsonArray() : content(message))
            .put(
                "stop_reason",
                stopReasonHolds ? keptStopReason : StopReasons.toStopReason(finishReason))
            .put(
                "stop_sequence",
                stopReasonHolds && extra != null ? extra.getValue("stop_sequence") : null)
            .put("usage", AnthropicUsage.toAnthropic(Completions.usage(completion)));
    return Extensions.restoreExtras(out, completion);
  }

  private static JsonObject assistantMessage(JsonArray content) {
    StringBuilder text = new StringBuilder();
    boolean anyText = false;
    boolean representable = true;
    JsonArray thinking = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    for (Object value : content) {
      JsonObject block = value instanceof JsonObject object ? object : new JsonObject();
      switch (String.valueOf(block.getValue("type"))) {
        case "text" -> {
          anyText = true;
          text.append(block.getValue("text") instanceof String part ? part : "");
          representable &= PLAIN_TEXT_KEYS.containsAll(block.fieldNames());
        }
        case "thinking", "redacted_thinking" -> thinking.add(block.copy());
        case "tool_use" -> toolCalls.add(AnthropicMessages.toolCall(block));
        default -> representable = false;
      }
    }
    JsonObject message = Messages.assistant(anyText ? text.toString() : null);
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    if (!thinking.isEmpty()) {
      message.put(Canonical.THINKING, thinking);
    }
    if (!representable) {
      message.put(Canonical.EXTRA, new JsonObject().put("content", content.copy()));
    }
    return message;
  }

  private static JsonArray content(JsonObject message) {
    JsonArray kept =
        JsonFields.object(message, Canonical.EXTRA) != null
                && message.getJsonObject(Canonical.EXTRA).getValue("content")
                    instanceof JsonArray blocks
            ? blocks
            : null;
    if (kept != null && unchanged(assistantMessage(kept), message)) {
      return kept.copy();
    }
    JsonArray blocks =
        message.getValue(Canonical.THINKING) instanceof JsonArray thinking
            ? thinking.copy()
            : new JsonArray();
    String text = text(message);
    if (!text.isEmpty()) {
      blocks.add(new JsonObject().put("type", "text").put("text", text));
    }
    // The calls as JSON, not ToolCall records: a call's extension keys go back onto its tool_use
    // block.
    List<JsonObject> toolCalls =
        JsonFields.objects(JsonFields.array(message, Canonical.TOOL_CALLS));
    for (int k = 0; k < toolCalls.size(); k++) {
      JsonObject call = toolCalls.get(k);
      JsonObject input =
          AnthropicMessages.arguments(
              JsonFields.string(JsonFields.object(call, "function"), "arguments"));
      if (input == null) {
        throw new ApiError(
                502,
                "api_error",
                "invalid_tool_arguments",
                null,
                "the upstream model's tool call '"
                    + call.getValue("id")
                    + "' has arguments that are not a JSON object")
            .asException();
      }
      blocks.add(AnthropicMessages.toolUse(call, "choices[0].message.tool_calls[" + k + "]"));
    }
    return blocks;
  }

  private static boolean unchanged(JsonObject derived, JsonObject message) {
    return text(derived).equals(text(message))
        && Objects.equals(derived.getValue("tool_calls"), message.getValue("tool_calls"))
        && Objects.equals(
            derived.getValue(Canonical.THINKING), message.getValue(Canonical.THINKING));
  }

  /** The message's text, "" when it has none (it only calls tools). */
  private static String text(JsonObject message) {
    String text = Messages.text(message);
    return text == null ? "" : text;
  }

  private static String anthropicId(String id) {
    if (id == null) {
      return ANTHROPIC_ID + UUID.randomUUID().toString().replace("-", "");
    }
    return id.startsWith(ANTHROPIC_ID) ? id : ANTHROPIC_ID + swapPrefix(id, OPENAI_ID, "");
  }

  private static String swapPrefix(String id, String from, String to) {
    return id != null && id.startsWith(from) ? to + id.substring(from.length()) : id;
  }
}
