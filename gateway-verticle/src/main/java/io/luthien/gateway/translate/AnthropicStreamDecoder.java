package io.luthien.gateway.translate;

import io.luthien.canonical.AnthropicUsage;
import io.luthien.canonical.Canonical;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.StopReasons;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.canonical.ToolIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the events of one Anthropic Messages stream (each event's {@code data} object) into
 * canonical {@code chat.completion.chunk} objects, one stream per instance; not thread-safe.
 *
 * <p>Every chunk carries the same {@code id} ({@code chatcmpl-} + the message id without {@code
 * msg_}), {@code created} and {@code model}. The first chunk (from {@code message_start}) says
 * {@code role: assistant} and keeps the message's opening usage in {@code x_anthropic.usage}; the
 * {@code message_delta} chunk carries {@code finish_reason} and {@code x_anthropic: {stop_reason,
 * stop_sequence}}, and is followed by the usage on a chunk of its own with {@code choices: []}, as
 * OpenAI ends a stream asked to include usage: input counts from {@code message_start}, output
 * counts from {@code message_delta}. A server tool's blocks ({@code server_tool_use}, once its
 * input is complete, and its {@code *_tool_result}) each become one chunk whose delta holds the
 * whole block under {@link Canonical#SERVER_TOOL_DELTA}; other blocks have no chunk form and are
 * skipped, deltas included; so are empty text and input fragments.
 */
public final class AnthropicStreamDecoder {

  private static final String MESSAGE_PREFIX = "msg_";
  private static final String COMPLETION_PREFIX = "chatcmpl-";

  private String id = COMPLETION_PREFIX;
  private String model;
  private final long created = Instant.now().getEpochSecond();
  private JsonObject usage = new JsonObject();

  /** Anthropic content-block index → OpenAI tool-call index, for the tool_use blocks only. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

  /** Anthropic content-block index → a server_tool_use block and its input so far. */
  private final Map<Integer, ServerToolUse> serverToolByBlock = new HashMap<>();

  private record ServerToolUse(JsonObject block, StringBuilder input) {}

  /**
   * The chunks one event stands for; none for {@code ping}, {@code content_block_stop} (but a
   * server tool's), {@code message_stop} and unknown events.
   *
   * @throws StreamError for an {@code error} event
   */
  public List<JsonObject> onEvent(JsonObject event) {
    return switch (String.valueOf(event.getValue("type"))) {
      case "message_start" -> messageStart(objectOr(event, "message"));
      case "content_block_start" -> blockStart(indexOf(event), objectOr(event, "content_block"));
      case "content_block_delta" -> blockDelta(indexOf(event), objectOr(event, "delta"));
      case "content_block_stop" -> blockStop(indexOf(event));
      case "message_delta" -> messageDelta(objectOr(event, "delta"), objectOr(event, "usage"));
      case "error" -> throw streamError(objectOr(event, "error"));
      default -> List.of();
    };
  }

  private List<JsonObject> messageStart(JsonObject message) {
    String messageId = message.getString("id", "");
    id =
        COMPLETION_PREFIX
            + (messageId.startsWith(MESSAGE_PREFIX)
                ? messageId.substring(MESSAGE_PREFIX.length())
                : messageId);
    model = message.getString("model");
    usage = objectOr(message, "usage").copy();
    return List.of(
        chunk(new JsonObject().put(Canonical.ROLE, Canonical.ROLE_ASSISTANT), null)
            .put(Canonical.EXTRA, new JsonObject().put("usage", usage.copy())));
  }

  private List<JsonObject> blockStart(int index, JsonObject block) {
    switch (String.valueOf(block.getValue("type"))) {
      case "text" -> {
        String text = block.getString("text", "");
        return text.isEmpty()
            ? List.of()
            : List.of(chunk(new JsonObject().put(Canonical.CONTENT, text), null));
      }
      case "tool_use" -> {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(index, toolIndex);
        JsonObject input = objectOr(block, "input");
        return List.of(
            toolCallChunk(
                new ToolCallDelta(
                    toolIndex,
                    ToolIds.toOpenAi(JsonFields.string(block, "id")),
                    JsonFields.string(block, "name"),
                    input.isEmpty() ? "" : input.encode())));
      }
      case "thinking" -> {
        JsonObject start = thinkingChunk(new JsonObject().put("type", "thinking_start"));
        String thinking = block.getString("thinking", "");
        return thinking.isEmpty()
            ? List.of(start)
            : List.of(
                start,
                thinkingChunk(
                    new JsonObject().put("type", "thinking_delta").put("thinking", thinking)));
      }
      case "redacted_thinking" -> {
        return List.of(
            thinkingChunk(
                new JsonObject()
                    .put("type", "redacted_thinking")
                    .put("data", block.getValue("data"))));
      }
      case "server_tool_use" -> {
        serverToolByBlock.put(index, new ServerToolUse(block.copy(), new StringBuilder()));
        return List.of();
      }
      default -> {
        String type = String.valueOf(block.getValue("type"));
        return type.endsWith("_tool_result") ? List.of(serverToolChunk(block.copy())) : List.of();
      }
    }
  }

  /** A server_tool_use block is whole once it stops: its input is known. */
  private List<JsonObject> blockStop(int index) {
    ServerToolUse use = serverToolByBlock.remove(index);
    if (use == null) {
      return List.of();
    }
    JsonObject input = AnthropicMessages.arguments(use.input().toString());
    if (input != null && use.input().length() > 0) {
      use.block().put("input", input);
    }
    return List.of(serverToolChunk(use.block()));
  }

  private JsonObject serverToolChunk(JsonObject block) {
    return chunk(new JsonObject().put(Canonical.SERVER_TOOL_DELTA, block), null);
  }

  private List<JsonObject> blockDelta(int index, JsonObject delta) {
    return switch (String.valueOf(delta.getValue("type"))) {
      case "text_delta" -> {
        String text = delta.getString("text", "");
        yield text.isEmpty()
            ? List.of()
            : List.of(chunk(new JsonObject().put(Canonical.CONTENT, text), null));
      }
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(index);
        String fragment = delta.getString("partial_json", "");
        ServerToolUse serverTool = serverToolByBlock.get(index);
        if (serverTool != null) {
          serverTool.input().append(fragment);
          yield List.of();
        }
        if (toolIndex == null || fragment.isEmpty()) {
          yield List.of(); // the API opens tool input with an empty fragment
        }
        yield List.of(toolCallChunk(new ToolCallDelta(toolIndex, null, null, fragment)));
      }
      case "thinking_delta" ->
          List.of(
              thinkingChunk(
                  new JsonObject()
                      .put("type", "thinking_delta")
                      .put("thinking", delta.getString("thinking", ""))));
      case "signature_delta" ->
          List.of(
              thinkingChunk(
                  new JsonObject()
                      .put("type", "signature_delta")
                      .put("signature", delta.getString("signature", ""))));
      default -> List.of();
    };
  }

  private List<JsonObject> messageDelta(JsonObject delta, JsonObject deltaUsage) {
    // message_delta's usage is cumulative and may repeat the input counts: what it states wins
    // over message_start's, what it leaves null (input_tokens: null) does not erase them.
    deltaUsage.forEach(
        count -> {
          if (count.getValue() != null) {
            usage.put(count.getKey(), JsonFields.copy(count.getValue()));
          }
        });
    String stopReason = delta.getString("stop_reason");
    JsonObject finish =
        chunk(new JsonObject(), StopReasons.toFinishReason(stopReason))
            .put(
                Canonical.EXTRA,
                new JsonObject()
                    .put("stop_reason", stopReason)
                    .put("stop_sequence", delta.getValue("stop_sequence")));
    return List.of(
        finish, Chunks.usageChunk(id, created, model, AnthropicUsage.toCanonical(usage)));
  }

  private JsonObject thinkingChunk(JsonObject thinkingDelta) {
    return chunk(new JsonObject().put(Canonical.THINKING_DELTA, thinkingDelta), null);
  }

  private JsonObject toolCallChunk(ToolCallDelta call) {
    return chunk(
        new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(call.toJson())), null);
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return Chunks.chunk(id, created, model, delta, finishReason);
  }

  private static StreamError streamError(JsonObject error) {
    return new StreamError(
        error.getString("type", "api_error"),
        error.getString("message", "the upstream stream reported an error"));
  }

  private static int indexOf(JsonObject event) {
    return event.getValue("index") instanceof Number index ? index.intValue() : 0;
  }

  private static JsonObject objectOr(JsonObject source, String key) {
    return source.getValue(key) instanceof JsonObject object ? object : new JsonObject();
  }
}
