package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Deltas;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns the canonical {@code chat.completion.chunk} objects of one stream into the Responses API's
 * streaming events, one stream per instance; not thread-safe. Each event is a JSON object with its
 * {@code type} and a {@code sequence_number} counting from 0.
 *
 * <p>The lifecycle: {@code response.created}, {@code response.in_progress}, then output items, each
 * opened by {@code response.output_item.added} and closed by {@code response.output_item.done}: a
 * {@code message} (with one {@code output_text} part: {@code content_part.added}, {@code
 * output_text.delta}..., {@code output_text.done}, {@code content_part.done}), a {@code reasoning}
 * item for the thinking an Anthropic backend streams (its text as the summary: {@code
 * reasoning_summary_part.added}, {@code reasoning_summary_text.delta}..., {@code .done}), a {@code
 * function_call} per tool call ({@code function_call_arguments.delta}..., {@code .done}), or a
 * {@code custom_tool_call} for a custom tool (its text whole, once complete: {@code
 * custom_tool_call_input.delta}, {@code .done}), a {@code web_search_call} per web search an
 * Anthropic backend ran ({@code web_search_call.in_progress}, {@code .searching}, {@code
 * .completed} when its result arrives); then {@code response.completed} (or {@code
 * response.incomplete} when the answer hit its token limit or a content filter) with the whole
 * response and its usage. A message or reasoning item closes when another message or reasoning item
 * opens; function calls stay open until the end, so the fragments of parallel calls can interleave.
 * It ends when a chunk carries usage once a finish reason is known, or at {@link #finish()}; later
 * chunks are ignored. Only choice 0 is read; a refusal is shown as text.
 */
public final class ResponsesStreamEncoder {

  private static final class ToolItem {
    final int outputIndex;
    final boolean custom;
    final String callId;
    final String name;
    final StringBuilder arguments = new StringBuilder();
    boolean open = true;

    ToolItem(int outputIndex, String callId, String name, boolean custom) {
      this.outputIndex = outputIndex;
      this.custom = custom;
      this.callId = callId;
      this.name = name;
    }
  }

  private final ResponseIds ids;
  private final JsonObject clientRequest;
  private final ClientTools clientTools;

  /** A web search's {@code server_tool_use} id → the search and its output index. */
  private final Map<String, Search> searches = new LinkedHashMap<>();

  private record Search(int outputIndex, JsonObject block) {}

  private final List<JsonObject> output = new ArrayList<>();
  private final Map<Integer, ToolItem> tools = new TreeMap<>();
  private JsonObject response;
  private int sequence;
  private boolean ended;
  private int messageIndex = -1;
  private final StringBuilder messageText = new StringBuilder();
  private int reasoningIndex = -1;
  private final StringBuilder reasoningText = new StringBuilder();
  private final StringBuilder signature = new StringBuilder();
  private String finishReason;
  private JsonObject usage;

  public ResponsesStreamEncoder(ResponseIds ids, JsonObject clientRequest) {
    this.ids = ids;
    this.clientRequest = clientRequest;
    this.clientTools = new ClientTools(clientRequest);
  }

  /** The events one chunk adds, in order; the first call also opens the response. */
  public List<JsonObject> onChunk(JsonObject chunk) {
    if (ended) {
      return List.of();
    }
    List<JsonObject> events = new ArrayList<>();
    start(chunk, events);
    JsonObject choice = Choices.first(chunk);
    JsonObject delta = Chunks.delta(choice);
    if (delta != null) {
      JsonObject thinking = JsonFields.object(delta, Canonical.THINKING_DELTA);
      if (thinking != null) {
        onThinking(thinking, events);
      }
      onText(Deltas.text(delta), events);
      String refusal = JsonFields.string(delta, Canonical.REFUSAL);
      if (refusal != null) {
        onText(refusal, events);
      }
      for (ToolCallDelta call : Deltas.toolCalls(delta)) {
        onToolCall(call, events);
      }
      JsonObject serverTool = JsonFields.object(delta, Canonical.SERVER_TOOL_DELTA);
      if (serverTool != null) {
        onServerTool(serverTool, events);
      }
    }
    String reason = Choices.finishReason(choice);
    if (reason != null) {
      finishReason = reason;
    }
    JsonObject chunkUsage = JsonFields.object(chunk, Canonical.USAGE);
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    if (finishReason != null && usage != null) {
      end(events);
    }
    return events;
  }

  /** The events that complete the response when the stream ends; none if it was complete. */
  public List<JsonObject> finish() {
    if (ended) {
      return List.of();
    }
    List<JsonObject> events = new ArrayList<>();
    start(new JsonObject(), events);
    end(events);
    return events;
  }

  /**
   * The stream broke: an {@code error} event, then {@code response.failed} with the output so far.
   */
  public List<JsonObject> failed(ApiError error) {
    List<JsonObject> events = new ArrayList<>();
    events.add(
        event("error")
            .put("code", error.code())
            .put("message", error.message())
            .put("param", error.param()));
    if (response != null && !ended) {
      ended = true;
      JsonObject failed =
          withOutput()
              .put("status", "failed")
              .put(
                  "error",
                  new JsonObject().put("code", error.code()).put("message", error.message()));
      events.add(event("response.failed").put("response", failed));
    }
    return events;
  }

  private void start(JsonObject chunk, List<JsonObject> events) {
    if (response != null) {
      return;
    }
    Object model = chunk.getValue("model");
    response =
        ResponsesOutput.envelope(
            ids,
            chunk.getValue("created") instanceof Number created
                ? created.longValue()
                : System.currentTimeMillis() / 1000,
            model instanceof String name ? name : clientRequest.getString("model"),
            clientRequest);
    events.add(event("response.created").put("response", response.copy()));
    events.add(event("response.in_progress").put("response", response.copy()));
  }

  private void onThinking(JsonObject thinking, List<JsonObject> events) {
    switch (String.valueOf(thinking.getValue("type"))) {
      case "thinking_start" -> {
        closeReasoning(events);
        openReasoning(events);
      }
      case "thinking_delta" -> {
        String text = thinking.getString("thinking", "");
        openReasoning(events);
        reasoningText.append(text);
        events.add(
            itemEvent("response.reasoning_summary_text.delta", reasoningIndex)
                .put("summary_index", 0)
                .put("delta", text));
      }
      case "signature_delta" -> {
        openReasoning(events);
        signature.append(thinking.getString("signature", ""));
      }
      default -> {}
    }
  }

  private void openReasoning(List<JsonObject> events) {
    if (reasoningIndex >= 0) {
      return;
    }
    closeMessage(events);
    reasoningIndex = output.size();
    JsonObject item =
        ResponsesOutput.reasoningItem(
            ids.item(reasoningIndex), null, null, ResponsesOutput.IN_PROGRESS);
    output.add(item);
    events.add(added(reasoningIndex, item));
    events.add(
        itemEvent("response.reasoning_summary_part.added", reasoningIndex)
            .put("summary_index", 0)
            .put("part", ResponsesOutput.summaryText("")));
  }

  private void closeReasoning(List<JsonObject> events) {
    if (reasoningIndex < 0) {
      return;
    }
    String text = reasoningText.toString();
    events.add(
        itemEvent("response.reasoning_summary_text.done", reasoningIndex)
            .put("summary_index", 0)
            .put("text", text));
    events.add(
        itemEvent("response.reasoning_summary_part.done", reasoningIndex)
            .put("summary_index", 0)
            .put("part", ResponsesOutput.summaryText(text)));
    JsonObject item =
        ResponsesOutput.reasoningItem(
            ids.item(reasoningIndex),
            null,
            ResponsesOutput.wantsEncryptedReasoning(clientRequest) ? signature.toString() : null,
            ResponsesOutput.COMPLETED);
    item.getJsonArray("summary").add(ResponsesOutput.summaryText(text));
    done(reasoningIndex, item, events);
    reasoningIndex = -1;
    reasoningText.setLength(0);
    signature.setLength(0);
  }

  private void onText(String text, List<JsonObject> events) {
    if (text.isEmpty()) {
      return;
    }
    if (messageIndex < 0) {
      closeReasoning(events);
      messageIndex = output.size();
      JsonObject item =
          ResponsesOutput.messageItem(ids.item(messageIndex), null, ResponsesOutput.IN_PROGRESS);
      output.add(item);
      events.add(added(messageIndex, item));
      events.add(
          itemEvent("response.content_part.added", messageIndex)
              .put("content_index", 0)
              .put("part", ResponsesOutput.outputText("")));
    }
    messageText.append(text);
    events.add(
        itemEvent("response.output_text.delta", messageIndex)
            .put("content_index", 0)
            .put("delta", text)
            .put("logprobs", new JsonArray()));
  }

  private void closeMessage(List<JsonObject> events) {
    if (messageIndex < 0) {
      return;
    }
    String text = messageText.toString();
    events.add(
        itemEvent("response.output_text.done", messageIndex)
            .put("content_index", 0)
            .put("text", text)
            .put("logprobs", new JsonArray()));
    events.add(
        itemEvent("response.content_part.done", messageIndex)
            .put("content_index", 0)
            .put("part", ResponsesOutput.outputText(text)));
    done(
        messageIndex,
        ResponsesOutput.messageItem(ids.item(messageIndex), text, ResponsesOutput.COMPLETED),
        events);
    messageIndex = -1;
    messageText.setLength(0);
  }

  private void onToolCall(ToolCallDelta call, List<JsonObject> events) {
    ToolItem tool = tools.get(call.index());
    if (tool == null) {
      closeMessage(events);
      closeReasoning(events);
      String name = call.name() == null ? "" : call.name();
      tool =
          new ToolItem(
              output.size(),
              call.id() != null && !call.id().isEmpty()
                  ? call.id()
                  : "call_" + UUID.randomUUID().toString().replace("-", ""),
              name,
              clientTools.isCustom(name));
      tools.put(call.index(), tool);
      JsonObject item =
          clientTools.callItem(
              ids.item(tool.outputIndex), tool.callId, tool.name, "", ResponsesOutput.IN_PROGRESS);
      output.add(item);
      events.add(added(tool.outputIndex, item));
    }
    String fragment = call.arguments();
    if (fragment != null && !fragment.isEmpty() && tool.open) {
      tool.arguments.append(fragment);
      if (tool.custom) {
        return; // its text is inside the JSON arguments: sent whole when the call is complete
      }
      events.add(
          itemEvent("response.function_call_arguments.delta", tool.outputIndex)
              .put("delta", fragment));
    }
  }

  private void closeTool(ToolItem tool, List<JsonObject> events) {
    String arguments = tool.arguments.toString();
    if (tool.custom) {
      String input = CustomTools.input(arguments);
      if (!input.isEmpty()) {
        events.add(
            itemEvent("response.custom_tool_call_input.delta", tool.outputIndex)
                .put("delta", input));
      }
      events.add(
          itemEvent("response.custom_tool_call_input.done", tool.outputIndex).put("input", input));
    } else {
      events.add(
          itemEvent("response.function_call_arguments.done", tool.outputIndex)
              .put("name", tool.name)
              .put("arguments", arguments));
    }
    done(
        tool.outputIndex,
        clientTools.callItem(
            ids.item(tool.outputIndex),
            tool.callId,
            tool.name,
            arguments,
            ResponsesOutput.COMPLETED),
        events);
    tool.open = false;
  }

  /**
   * A web search opens its {@code web_search_call} item ({@code in_progress}, then {@code
   * searching}); its result completes it. Other server tools have no Responses form.
   */
  private void onServerTool(JsonObject block, List<JsonObject> events) {
    if (WebSearchCalls.isSearch(block)) {
      closeMessage(events);
      closeReasoning(events);
      int index = output.size();
      JsonObject item =
          WebSearchCalls.item(ids.item(index), block, null, ResponsesOutput.IN_PROGRESS);
      output.add(item);
      events.add(added(index, item));
      events.add(itemEvent("response.web_search_call.in_progress", index));
      events.add(itemEvent("response.web_search_call.searching", index));
      searches.put(String.valueOf(block.getValue("id")), new Search(index, block));
      return;
    }
    Search search = searches.remove(String.valueOf(block.getValue("tool_use_id")));
    if (search != null) {
      completeSearch(search, block, events);
    }
  }

  private void completeSearch(Search search, JsonObject result, List<JsonObject> events) {
    events.add(itemEvent("response.web_search_call.completed", search.outputIndex()));
    done(
        search.outputIndex(),
        WebSearchCalls.item(
            ids.item(search.outputIndex()), search.block(), result, ResponsesOutput.COMPLETED),
        events);
  }

  private void end(List<JsonObject> events) {
    closeMessage(events);
    closeReasoning(events);
    searches.values().forEach(search -> completeSearch(search, null, events));
    searches.clear();
    for (ToolItem tool : tools.values()) {
      if (tool.open) {
        closeTool(tool, events);
      }
    }
    JsonObject whole = withOutput();
    ResponsesOutput.finish(whole, finishReason, usage);
    events.add(
        event(
                ResponsesOutput.INCOMPLETE.equals(whole.getString("status"))
                    ? "response.incomplete"
                    : "response.completed")
            .put("response", whole));
    ended = true;
  }

  private JsonObject withOutput() {
    JsonObject whole = response.copy();
    JsonArray items = whole.getJsonArray("output");
    output.forEach(item -> items.add(item.copy()));
    return whole;
  }

  private JsonObject added(int outputIndex, JsonObject item) {
    return event("response.output_item.added")
        .put("output_index", outputIndex)
        .put("item", item.copy());
  }

  private void done(int outputIndex, JsonObject item, List<JsonObject> events) {
    output.set(outputIndex, item);
    events.add(
        event("response.output_item.done")
            .put("output_index", outputIndex)
            .put("item", item.copy()));
  }

  private JsonObject itemEvent(String type, int outputIndex) {
    return event(type).put("item_id", ids.item(outputIndex)).put("output_index", outputIndex);
  }

  private JsonObject event(String type) {
    return new JsonObject().put("type", type).put("sequence_number", sequence++);
  }
}
