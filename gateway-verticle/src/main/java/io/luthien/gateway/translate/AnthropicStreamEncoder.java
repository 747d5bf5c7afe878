package io.luthien.gateway.translate;

import io.luthien.canonical.AnthropicUsage;
import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Deltas;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.StopReasons;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.canonical.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns the canonical {@code chat.completion.chunk} objects of one stream into the Anthropic
 * Messages event lifecycle an Anthropic client expects, one stream per instance; not thread-safe.
 * Chunks may come from an OpenAI backend (no extension keys) or from {@link AnthropicStreamDecoder}
 * (thinking, original stop reason and usage).
 *
 * <p>The lifecycle: {@code message_start}, one {@code ping}, then content blocks with consecutive
 * indexes from 0, each {@code content_block_start} closed by its {@code content_block_stop} before
 * the next one starts, then {@code message_delta} (stop reason and usage) and {@code message_stop};
 * never {@code [DONE]}. It ends when a chunk carries usage once a finish reason is known, or at
 * {@link #finish()}; later chunks are ignored.
 *
 * <p>Anthropic clients accept one open block at a time, while an OpenAI backend may interleave the
 * argument fragments of parallel tool calls. So a tool call streams live only while it is the open
 * block; a later tool call's fragments are buffered, and its block opens (with everything buffered
 * so far) once the open tool's arguments form a complete JSON value, or at the end. A tool block
 * closed early by text arriving after it keeps what it had: fragments for a closed block cannot be
 * sent and are dropped.
 *
 * <p>A stream that ends without any finish reason still gets a complete lifecycle, with stop reason
 * {@code tool_use} when it produced tool calls (the client should run them) and {@code end_turn}
 * otherwise. Only choice 0 is read: Anthropic has no {@code n}. An OpenAI {@code refusal} delta is
 * shown as text.
 */
public final class AnthropicStreamEncoder {

  private enum Kind {
    TEXT,
    THINKING,
    TOOL
  }

  private final String requestModel;
  private boolean started;
  private boolean ended;
  private int nextIndex;
  private Kind openKind;
  private int openIndex;
  private StreamedToolCall openTool;
  private boolean toolEmitted;
  private final Map<Integer, StreamedToolCall> tools = new TreeMap<>();
  private String finishReason;
  private JsonObject anthropicStop;
  private Usage usage;

  public AnthropicStreamEncoder() {
    this(null);
  }

  /**
   * @param requestModel the model the client asked for, used when the chunks name none
   */
  public AnthropicStreamEncoder(String requestModel) {
    this.requestModel = requestModel;
  }

  /** The events one chunk adds to the stream, in order; the first call also opens the message. */
  public List<AnthropicEvent> onChunk(JsonObject chunk) {
    if (ended) {
      return List.of();
    }
    List<AnthropicEvent> events = new ArrayList<>();
    start(chunk, events);
    JsonObject choice = Choices.first(chunk);
    JsonObject delta = Chunks.delta(choice);
    if (delta != null) {
      onDelta(delta, events);
    }
    String reason = Choices.finishReason(choice);
    if (reason != null) {
      finishReason = reason;
    }
    JsonObject extra = JsonFields.object(chunk, Canonical.EXTRA);
    if (extra != null && extra.containsKey("stop_reason")) {
      anthropicStop = extra;
    }
    Usage chunkUsage = Chunks.usage(chunk);
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    if (finishReason != null && usage != null) {
      end(events);
    }
    return events;
  }

  /**
   * The events that complete the message when the upstream stream ends; none if it was already
   * complete.
   */
  public List<AnthropicEvent> finish() {
    if (ended) {
      return List.of();
    }
    List<AnthropicEvent> events = new ArrayList<>();
    start(new JsonObject(), events);
    end(events);
    return events;
  }

  private void start(JsonObject chunk, List<AnthropicEvent> events) {
    if (started) {
      return;
    }
    started = true;
    Object model = chunk.getValue("model");
    JsonObject message =
        new JsonObject()
            .put("id", messageId(chunk.getValue("id")))
            .put("type", "message")
            .put("role", "assistant")
            .put("content", new JsonArray())
            .put(
                "model",
                model instanceof String name ? name : requestModel == null ? "" : requestModel)
            .put("stop_reason", null)
            .put("stop_sequence", null)
            .put("usage", startUsage(chunk));
    events.add(
        AnthropicEvent.of(new JsonObject().put("type", "message_start").put("message", message)));
    events.add(AnthropicEvent.of(new JsonObject().put("type", "ping")));
  }

  /**
   * The decoder's copy of Anthropic's opening usage, else what an OpenAI chunk already says, else
   * zeros.
   */
  private static JsonObject startUsage(JsonObject chunk) {
    JsonObject original = JsonFields.object(JsonFields.object(chunk, Canonical.EXTRA), "usage");
    if (original != null) {
      return original.copy();
    }
    Usage openAi = Chunks.usage(chunk);
    if (openAi != null) {
      return new JsonObject()
          .put("input_tokens", AnthropicUsage.inputTokens(openAi))
          .put("output_tokens", 0);
    }
    return new JsonObject().put("input_tokens", 0).put("output_tokens", 0);
  }

  private static String messageId(Object chunkId) {
    if (!(chunkId instanceof String id) || id.isEmpty()) {
      return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    if (id.startsWith("msg_")) {
      return id;
    }
    return "msg_" + (id.startsWith("chatcmpl-") ? id.substring("chatcmpl-".length()) : id);
  }

  private void onDelta(JsonObject delta, List<AnthropicEvent> events) {
    JsonObject thinking = JsonFields.object(delta, Canonical.THINKING_DELTA);
    if (thinking != null) {
      onThinking(thinking, events);
    }
    onText(Deltas.text(delta), events);
    String refusal = JsonFields.string(delta, Canonical.REFUSAL);
    if (refusal != null) {
      onText(refusal, events);
    }
    List<ToolCallDelta> calls = Deltas.toolCalls(delta);
    if (!calls.isEmpty()) {
      for (ToolCallDelta call : calls) {
        onToolCall(call, events);
      }
      openNextTools(events);
    }
  }

  private void onThinking(JsonObject thinking, List<AnthropicEvent> events) {
    switch (String.valueOf(thinking.getValue("type"))) {
      case "thinking_start" -> {
        closeOpenBlock(events);
        openBlock(
            Kind.THINKING,
            new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""),
            events);
      }
      case "redacted_thinking" -> {
        closeOpenBlock(events);
        openBlock(
            Kind.THINKING,
            new JsonObject()
                .put("type", "redacted_thinking")
                .put("data", thinking.getValue("data")),
            events);
        closeOpenBlock(events);
      }
      case "thinking_delta" ->
          thinkingDelta(
              new JsonObject()
                  .put("type", "thinking_delta")
                  .put("thinking", thinking.getString("thinking", "")),
              events);
      case "signature_delta" ->
          thinkingDelta(
              new JsonObject()
                  .put("type", "signature_delta")
                  .put("signature", thinking.getString("signature", "")),
              events);
      default -> {}
    }
  }

  private void thinkingDelta(JsonObject delta, List<AnthropicEvent> events) {
    if (openKind != Kind.THINKING) {
      closeOpenBlock(events);
      openBlock(
          Kind.THINKING,
          new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""),
          events);
    }
    events.add(blockDelta(delta));
  }

  private void onText(String text, List<AnthropicEvent> events) {
    if (text.isEmpty()) {
      return;
    }
    if (openKind != Kind.TEXT) {
      closeOpenBlock(events);
      openBlock(Kind.TEXT, new JsonObject().put("type", "text").put("text", ""), events);
    }
    events.add(blockDelta(new JsonObject().put("type", "text_delta").put("text", text)));
  }

  private void onToolCall(ToolCallDelta call, List<AnthropicEvent> events) {
    StreamedToolCall tool =
        tools.computeIfAbsent(call.index(), key -> new StreamedToolCall(call.id()));
    if (tool.state == StreamedToolCall.State.PENDING && call.name() != null) {
      tool.name.append(call.name());
    }
    String fragment = call.arguments();
    if (fragment != null && !fragment.isEmpty()) {
      switch (tool.state) {
        case OPEN -> {
          tool.json.feed(fragment);
          events.add(inputJsonDelta(fragment));
        }
        case PENDING -> {
          tool.json.feed(fragment);
          tool.pending.append(fragment);
        }
        case CLOSED -> {
          // Its block has ended; Anthropic clients cannot take more of it.
        }
      }
    }
  }

  /**
   * Opens the next buffered tool call once nothing else is in progress, and keeps going while each
   * is whole.
   */
  private void openNextTools(List<AnthropicEvent> events) {
    for (StreamedToolCall next = nextPendingTool(); next != null; next = nextPendingTool()) {
      if (openKind == Kind.TOOL && !openTool.json.complete()) {
        return;
      }
      closeOpenBlock(events);
      openToolBlock(next, events);
    }
  }

  private StreamedToolCall nextPendingTool() {
    for (StreamedToolCall tool : tools.values()) {
      if (tool.state == StreamedToolCall.State.PENDING) {
        return tool;
      }
    }
    return null;
  }

  private void openToolBlock(StreamedToolCall tool, List<AnthropicEvent> events) {
    openBlock(
        Kind.TOOL,
        new JsonObject()
            .put("type", "tool_use")
            .put("id", tool.id)
            .put("name", tool.name.toString())
            .put("input", new JsonObject()),
        events);
    openTool = tool;
    tool.state = StreamedToolCall.State.OPEN;
    toolEmitted = true;
    if (!tool.pending.isEmpty()) {
      events.add(inputJsonDelta(tool.pending.toString()));
      tool.pending.setLength(0);
    }
  }

  private void openBlock(Kind kind, JsonObject contentBlock, List<AnthropicEvent> events) {
    openKind = kind;
    openIndex = nextIndex++;
    events.add(
        AnthropicEvent.of(
            new JsonObject()
                .put("type", "content_block_start")
                .put("index", openIndex)
                .put("content_block", contentBlock)));
  }

  private void closeOpenBlock(List<AnthropicEvent> events) {
    if (openKind == null) {
      return;
    }
    events.add(
        AnthropicEvent.of(
            new JsonObject().put("type", "content_block_stop").put("index", openIndex)));
    if (openTool != null) {
      openTool.state = StreamedToolCall.State.CLOSED;
      openTool = null;
    }
    openKind = null;
  }

  private void end(List<AnthropicEvent> events) {
    closeOpenBlock(events);
    for (StreamedToolCall pending = nextPendingTool();
        pending != null;
        pending = nextPendingTool()) {
      openToolBlock(pending, events);
      closeOpenBlock(events);
    }
    String stopReason = stopReason();
    boolean anthropicsOwn =
        anthropicStop != null && stopReason.equals(anthropicStop.getValue("stop_reason"));
    JsonObject delta =
        new JsonObject()
            .put("stop_reason", stopReason)
            .put("stop_sequence", anthropicsOwn ? anthropicStop.getValue("stop_sequence") : null);
    events.add(
        AnthropicEvent.of(
            new JsonObject()
                .put("type", "message_delta")
                .put("delta", delta)
                .put("usage", finalUsage())));
    events.add(AnthropicEvent.of(new JsonObject().put("type", "message_stop")));
    ended = true;
  }

  /**
   * Anthropic's own stop reason while it still agrees with the finish reason (a policy may have
   * changed that: a replaced tool call stops the turn), else the finish reason's.
   */
  private String stopReason() {
    if (anthropicStop != null
        && anthropicStop.getValue("stop_reason") instanceof String original
        && (finishReason == null || StopReasons.toFinishReason(original).equals(finishReason))) {
      return original;
    }
    if (finishReason != null) {
      return StopReasons.toStopReason(finishReason);
    }
    return toolEmitted ? "tool_use" : "end_turn";
  }

  /**
   * Anthropic's own usage when the chunks came from an Anthropic backend, else OpenAI's counts in
   * Anthropic terms.
   */
  private JsonObject finalUsage() {
    return usage == null
        ? new JsonObject().put("output_tokens", 0)
        : AnthropicUsage.toAnthropic(usage);
  }

  private AnthropicEvent blockDelta(JsonObject delta) {
    return AnthropicEvent.of(
        new JsonObject()
            .put("type", "content_block_delta")
            .put("index", openIndex)
            .put("delta", delta));
  }

  private AnthropicEvent inputJsonDelta(String partialJson) {
    return blockDelta(
        new JsonObject().put("type", "input_json_delta").put("partial_json", partialJson));
  }
}
