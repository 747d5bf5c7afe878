package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events a Responses client gets from a Responses API backend's stream, one stream per
 * instance; not thread-safe. Every upstream event became one canonical chunk for the policy ({@link
 * io.luthien.gateway.stream.ResponsesChunkStream}); {@link #answered} gets, in the same order, what
 * the policy made of each. An event whose chunk the policy left alone goes out as it came (the
 * response's {@code id} made the gateway's, {@code sequence_number} counted again); text or
 * function-call arguments the policy changed go out as new {@code output_text.delta} / {@code
 * function_call_arguments.delta} events on the same item, and the closing events of that item
 * ({@code output_text.done}, {@code content_part.done}, {@code function_call_arguments.done},
 * {@code output_item.done}) wait for the end of the stream, when they go out with the final text,
 * since the policy may still release text it held back. {@code response.completed} always goes out
 * last, with the final text in its output.
 */
public final class PassedThroughEvents {

  /** The text of one message item or the arguments of one function call, on both sides. */
  private static final class Part {
    final String itemId;
    final int outputIndex;
    final int contentIndex;
    final boolean custom;
    final StringBuilder upstream = new StringBuilder();
    final StringBuilder delivered = new StringBuilder();
    final List<JsonObject> closings = new ArrayList<>();

    Part(String itemId, int outputIndex, int contentIndex) {
      this(itemId, outputIndex, contentIndex, false);
    }

    Part(String itemId, int outputIndex, int contentIndex, boolean custom) {
      this.itemId = itemId;
      this.outputIndex = outputIndex;
      this.contentIndex = contentIndex;
      this.custom = custom;
    }

    boolean isCall() {
      return contentIndex < 0;
    }

    boolean changed() {
      return !upstream.toString().contentEquals(delivered);
    }
  }

  private record Upstream(JsonObject event, JsonObject chunk) {}

  private final ResponseIds ids;
  private final Deque<Upstream> upstream = new ArrayDeque<>();
  private final Map<String, Part> texts = new LinkedHashMap<>();
  private final Map<String, Part> callsById = new LinkedHashMap<>();
  private final List<Part> calls = new ArrayList<>();
  private final TreeMap<Integer, JsonObject> doneItems = new TreeMap<>();
  private Part currentText;
  private JsonObject envelope;
  private JsonObject terminal;
  private int sequence;
  private boolean ended;

  public PassedThroughEvents(ResponseIds ids) {
    this.ids = ids;
  }

  /** An upstream event and the chunk it became, as it goes to the policy. */
  public void upstreamEvent(JsonObject event, JsonObject chunk) {
    upstream.add(new Upstream(event, chunk));
  }

  /** The events for the policy's answer to the next upstream event's chunk. */
  public List<JsonObject> answered(List<JsonObject> finalChunks) {
    Upstream next = upstream.poll();
    List<JsonObject> out = new ArrayList<>();
    if (next == null || ended) {
      finalChunks.forEach(chunk -> out.addAll(released(chunk)));
      return out;
    }
    StringBuilder text = new StringBuilder();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    for (JsonObject chunk : finalChunks) {
      text.append(Chunks.textDelta(chunk));
      for (ToolCallDelta fragment : Chunks.toolCallDeltas(chunk)) {
        addFragment(arguments, fragment);
      }
    }
    passOn(next.event(), text, arguments, out);
    release(text.toString(), arguments, out);
    return out;
  }

  /** The events for a chunk the policy emitted on its own (flushed at the end of the stream). */
  public List<JsonObject> released(JsonObject chunk) {
    List<JsonObject> out = new ArrayList<>();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    for (ToolCallDelta fragment : Chunks.toolCallDeltas(chunk)) {
      addFragment(arguments, fragment);
    }
    release(Chunks.textDelta(chunk), arguments, out);
    return out;
  }

  private static void addFragment(Map<Integer, StringBuilder> arguments, ToolCallDelta fragment) {
    if (fragment.arguments() != null && !fragment.arguments().isEmpty()) {
      arguments
          .computeIfAbsent(fragment.index(), index -> new StringBuilder())
          .append(fragment.arguments());
    }
  }

  /** The closing events that waited, with the final text, then {@code response.completed}. */
  public List<JsonObject> finish() {
    List<JsonObject> out = new ArrayList<>();
    if (ended) {
      return out;
    }
    ended = true;
    for (Part part : parts()) {
      for (JsonObject closing : part.closings) {
        out.add(numbered(withFinalText(closing, part)));
      }
    }
    JsonObject last =
        terminal != null
            ? terminal.copy()
            : new JsonObject()
                .put("type", "response.completed")
                .put("response", completedEnvelope());
    JsonObject response = JsonFields.object(last, "response");
    if (response != null) {
      response.put("id", ids.responseId());
      for (JsonObject item : JsonFields.objects(JsonFields.array(response, "output"))) {
        Part part = partOf(item);
        if (part != null && part.changed()) {
          patchItem(item, part);
        }
      }
    }
    out.add(numbered(last));
    return out;
  }

  /**
   * The response as the backend finished it (its id the gateway's), or the output so far when it
   * sent no {@code response.completed}.
   */
  public JsonObject upstreamResponse() {
    JsonObject response = terminal == null ? null : JsonFields.object(terminal, "response");
    return response == null ? completedEnvelope() : response.copy().put("id", ids.responseId());
  }

  /** An {@code error} event, then {@code response.failed} with the output so far. */
  public List<JsonObject> failed(ApiError error) {
    List<JsonObject> out = new ArrayList<>();
    out.add(
        numbered(
            new JsonObject()
                .put("type", "error")
                .put("code", error.code())
                .put("message", error.message())
                .put("param", error.param())));
    if (!ended) {
      ended = true;
      JsonObject failed =
          completedEnvelope()
              .put("status", "failed")
              .put(
                  "error",
                  new JsonObject().put("code", error.code()).put("message", error.message()));
      out.add(numbered(new JsonObject().put("type", "response.failed").put("response", failed)));
    }
    return out;
  }

  private void passOn(
      JsonObject event,
      StringBuilder text,
      Map<Integer, StringBuilder> arguments,
      List<JsonObject> out) {
    String type = String.valueOf(event.getValue("type"));
    String itemId = JsonFields.string(event, "item_id");
    switch (type) {
      case "response.created", "response.in_progress" -> {
        JsonObject copy = event.copy();
        JsonObject response = JsonFields.object(copy, "response");
        if (response != null) {
          response.put("id", ids.responseId());
          envelope = response.copy();
        }
        out.add(numbered(copy));
      }
      case "response.output_item.added" -> {
        JsonObject item = JsonFields.object(event, "item");
        String itemType = JsonFields.string(item, "type");
        if ("function_call".equals(itemType) || "custom_tool_call".equals(itemType)) {
          Part call =
              new Part(
                  JsonFields.string(item, "id"),
                  outputIndex(event),
                  -1,
                  "custom_tool_call".equals(itemType));
          calls.add(call);
          callsById.put(call.itemId, call);
        }
        out.add(numbered(event));
      }
      case "response.content_part.added" -> {
        if ("output_text".equals(JsonFields.string(JsonFields.object(event, "part"), "type"))
            && !texts.containsKey(itemId)) {
          texts.put(itemId, new Part(itemId, outputIndex(event), contentIndex(event)));
        }
        currentText = texts.getOrDefault(itemId, currentText);
        out.add(numbered(event));
      }
      case "response.output_text.delta" -> {
        Part part = texts.computeIfAbsent(itemId, id -> newText(event));
        currentText = part;
        String delta = String.valueOf(event.getValue("delta"));
        boolean unchanged = !part.changed() && text.toString().equals(delta);
        part.upstream.append(delta);
        if (unchanged) {
          part.delivered.append(delta);
          text.setLength(0);
          out.add(numbered(event));
        }
      }
      case "response.function_call_arguments.delta" -> {
        Part call = callsById.get(itemId);
        if (call == null) {
          out.add(numbered(event));
          return;
        }
        String delta = String.valueOf(event.getValue("delta"));
        int index = calls.indexOf(call);
        StringBuilder fragment = arguments.get(index);
        boolean unchanged =
            !call.changed() && fragment != null && fragment.toString().equals(delta);
        call.upstream.append(delta);
        if (unchanged) {
          call.delivered.append(delta);
          arguments.remove(index);
          out.add(numbered(event));
        }
      }
      case "response.output_text.done",
          "response.content_part.done",
          "response.function_call_arguments.done" ->
          closeOrWait(part(itemId), event, out);
      case "response.output_item.done" -> {
        JsonObject item = JsonFields.object(event, "item");
        doneItems.put(outputIndex(event), item == null ? new JsonObject() : item);
        closeOrWait(partOf(item), event, out);
      }
      case "response.completed", "response.incomplete" -> terminal = event;
      default -> out.add(numbered(event));
    }
  }

  /** Text goes to the message being written, arguments to their call, as new delta events. */
  private void release(String text, Map<Integer, StringBuilder> arguments, List<JsonObject> out) {
    if (!text.isEmpty()) {
      Part part = currentText != null ? currentText : openMessage(out);
      part.delivered.append(text);
      out.add(
          numbered(
              new JsonObject()
                  .put("type", "response.output_text.delta")
                  .put("item_id", part.itemId)
                  .put("output_index", part.outputIndex)
                  .put("content_index", part.contentIndex)
                  .put("delta", text)
                  .put("logprobs", new JsonArray())));
      releaseClosings(part, out);
    }
    arguments.forEach(
        (index, fragment) -> {
          if (index < calls.size() && !calls.get(index).custom) {
            Part call = calls.get(index);
            call.delivered.append(fragment);
            out.add(
                numbered(
                    new JsonObject()
                        .put("type", "response.function_call_arguments.delta")
                        .put("item_id", call.itemId)
                        .put("output_index", call.outputIndex)
                        .put("delta", fragment.toString())));
            releaseClosings(call, out);
          }
        });
  }

  /** A part's closing goes out now when its text is what the upstream sent, else at the end. */
  private void closeOrWait(Part part, JsonObject event, List<JsonObject> out) {
    if (part != null && (part.changed() || !part.closings.isEmpty())) {
      part.closings.add(event);
    } else {
      out.add(numbered(event));
    }
  }

  /** A policy that held text back and released it unchanged lets the waiting closings go. */
  private void releaseClosings(Part part, List<JsonObject> out) {
    if (!part.changed() && !part.closings.isEmpty()) {
      part.closings.forEach(closing -> out.add(numbered(closing)));
      part.closings.clear();
    }
  }

  /** Text with no message to go to (the policy wrote where the model had not): a new message. */
  private Part openMessage(List<JsonObject> out) {
    int outputIndex =
        Math.max(
                doneItems.isEmpty() ? -1 : doneItems.lastKey(),
                calls.isEmpty() ? -1 : calls.get(calls.size() - 1).outputIndex)
            + 1;
    Part part = new Part(ids.item(outputIndex), outputIndex, 0);
    texts.put(part.itemId, part);
    currentText = part;
    JsonObject item = ResponsesOutput.messageItem(part.itemId, null, ResponsesOutput.IN_PROGRESS);
    out.add(
        numbered(
            new JsonObject()
                .put("type", "response.output_item.added")
                .put("output_index", outputIndex)
                .put("item", item)));
    out.add(
        numbered(
            new JsonObject()
                .put("type", "response.content_part.added")
                .put("item_id", part.itemId)
                .put("output_index", outputIndex)
                .put("content_index", 0)
                .put("part", ResponsesOutput.outputText(""))));
    part.closings.add(
        new JsonObject()
            .put("type", "response.output_item.done")
            .put("output_index", outputIndex)
            .put("item", ResponsesOutput.messageItem(part.itemId, "", ResponsesOutput.COMPLETED)));
    return part;
  }

  private JsonObject withFinalText(JsonObject closing, Part part) {
    JsonObject copy = closing.copy();
    String text = part.delivered.toString();
    switch (String.valueOf(copy.getValue("type"))) {
      case "response.output_text.done" -> copy.put("text", text);
      case "response.function_call_arguments.done" -> copy.put("arguments", text);
      case "response.content_part.done" -> {
        JsonObject contentPart = JsonFields.object(copy, "part");
        if (contentPart != null) {
          contentPart.put("text", text);
        }
      }
      case "response.output_item.done" -> {
        JsonObject item = JsonFields.object(copy, "item");
        if (item != null) {
          patchItem(item, part);
          doneItems.put(part.outputIndex, item.copy());
        }
      }
      default -> {}
    }
    return copy;
  }

  private static void patchItem(JsonObject item, Part part) {
    String text = part.delivered.toString();
    if (part.isCall()) {
      if (!part.custom) {
        item.put("arguments", text);
      }
      return;
    }
    JsonArray content = JsonFields.array(item, "content");
    if (content == null || content.isEmpty()) {
      item.put("content", new JsonArray().add(ResponsesOutput.outputText(text)));
      return;
    }
    boolean placed = false;
    for (JsonObject contentPart : JsonFields.objects(content)) {
      if ("output_text".equals(contentPart.getValue("type"))) {
        contentPart.put("text", placed ? "" : text);
        placed = true;
      }
    }
  }

  /** The response so far, for a stream that ends without the upstream's last event. */
  private JsonObject completedEnvelope() {
    JsonObject response = envelope == null ? new JsonObject() : envelope.copy();
    JsonArray output = new JsonArray();
    doneItems.values().forEach(item -> output.add(item.copy()));
    return response.put("id", ids.responseId()).put("status", "completed").put("output", output);
  }

  private List<Part> parts() {
    List<Part> parts = new ArrayList<>(texts.values());
    parts.addAll(calls);
    parts.sort((a, b) -> Integer.compare(a.outputIndex, b.outputIndex));
    return parts;
  }

  private Part part(String itemId) {
    Part text = texts.get(itemId);
    return text != null ? text : callsById.get(itemId);
  }

  private Part partOf(JsonObject item) {
    return part(JsonFields.string(item, "id"));
  }

  private Part newText(JsonObject event) {
    return new Part(JsonFields.string(event, "item_id"), outputIndex(event), contentIndex(event));
  }

  private static int outputIndex(JsonObject event) {
    return (int) JsonFields.number(event, "output_index");
  }

  private static int contentIndex(JsonObject event) {
    return (int) JsonFields.number(event, "content_index");
  }

  private JsonObject numbered(JsonObject event) {
    return event.copy().put("sequence_number", sequence++);
  }
}
