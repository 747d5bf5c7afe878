package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.translate.StreamError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The events of one streamed answer of a Responses API backend as canonical chunks, one chunk per
 * event: {@code response.created} opens the assistant's turn, {@code response.output_text.delta} is
 * text, a {@code function_call} item's {@code output_item.added} and its {@code
 * function_call_arguments.delta}s are the fragments of one tool call (numbered in the order the
 * calls open), a {@code custom_tool_call} is its whole arguments once done, and {@code
 * response.completed} / {@code response.incomplete} is the finish reason and usage. Any other event
 * (reasoning, the provider's own tools, the items' and parts' openings and closings) is a chunk
 * with an empty delta. An {@code error} event or {@code response.failed} throws a {@link
 * StreamError}. Not thread-safe: one per stream.
 */
public final class ResponsesEventDecoder {

  private final Map<String, Integer> toolIndexes = new HashMap<>();
  private String id;
  private long created;
  private String model;
  private boolean ended;

  public JsonObject onEvent(JsonObject event) {
    String type = String.valueOf(event.getValue("type"));
    JsonObject delta = new JsonObject();
    String finishReason = null;
    JsonObject usage = null;
    switch (type) {
      case "response.created", "response.in_progress" -> {
        JsonObject response = JsonFields.object(event, "response");
        id = JsonFields.string(response, "id");
        created = JsonFields.number(response, "created_at");
        model = JsonFields.string(response, "model");
        if (type.equals("response.created")) {
          delta.put(Canonical.ROLE, Canonical.ROLE_ASSISTANT);
        }
      }
      case "response.output_text.delta" -> delta.put(Canonical.CONTENT, event.getValue("delta"));
      case "response.refusal.delta" -> delta.put(Canonical.REFUSAL, event.getValue("delta"));
      case "response.output_item.added" -> openToolCall(JsonFields.object(event, "item"), delta);
      case "response.function_call_arguments.delta" -> {
        Integer index = toolIndexes.get(JsonFields.string(event, "item_id"));
        if (index != null) {
          delta.put(Canonical.TOOL_CALLS, new JsonArray().add(fragment(index, event)));
        }
      }
      case "response.output_item.done" -> customToolInput(JsonFields.object(event, "item"), delta);
      case "response.completed", "response.incomplete" -> {
        ended = true;
        JsonObject response = JsonFields.object(event, "response");
        finishReason =
            ResponsesAnswers.finishReason(
                response == null ? new JsonObject() : response, !toolIndexes.isEmpty());
        usage = ResponsesAnswers.usage(JsonFields.object(response, "usage"));
      }
      case "response.failed" -> {
        JsonObject error = JsonFields.object(JsonFields.object(event, "response"), "error");
        throw failure(error);
      }
      case "error" ->
          throw failure(
              JsonFields.object(event, "error") != null ? event.getJsonObject("error") : event);
      default -> {} // no canonical meaning: an empty delta keeps the event's place in the stream
    }
    JsonObject chunk = Chunks.chunk(id, created, model, delta, finishReason);
    if (usage != null) {
      chunk.put(Canonical.USAGE, usage);
    }
    return chunk;
  }

  /** Whether the answer's last event ({@code response.completed} or {@code .incomplete}) came. */
  public boolean ended() {
    return ended;
  }

  /** A chunk that says nothing: no role, text, tool call, finish reason nor usage. */
  public static boolean isEmpty(JsonObject chunk) {
    JsonObject choice = JsonFields.objects(JsonFields.array(chunk, Canonical.CHOICES)).get(0);
    return Chunks.delta(choice).isEmpty()
        && choice.getValue(Canonical.FINISH_REASON) == null
        && chunk.getValue(Canonical.USAGE) == null;
  }

  private void openToolCall(JsonObject item, JsonObject delta) {
    String itemType = JsonFields.string(item, "type");
    if (!"function_call".equals(itemType) && !"custom_tool_call".equals(itemType)) {
      return;
    }
    int index = toolIndexes.size();
    toolIndexes.put(JsonFields.string(item, "id"), index);
    delta.put(
        Canonical.TOOL_CALLS,
        new JsonArray()
            .add(
                new JsonObject()
                    .put(Canonical.INDEX, index)
                    .put("id", item.getValue("call_id"))
                    .put("type", Canonical.TOOL_TYPE_FUNCTION)
                    .put(
                        "function",
                        new JsonObject().put("name", item.getValue("name")).put("arguments", ""))));
  }

  /** A custom tool's input streams as text, not JSON: its arguments go out whole, once done. */
  private void customToolInput(JsonObject item, JsonObject delta) {
    if (!"custom_tool_call".equals(JsonFields.string(item, "type"))) {
      return;
    }
    Integer index = toolIndexes.get(JsonFields.string(item, "id"));
    if (index != null) {
      delta.put(
          Canonical.TOOL_CALLS,
          new JsonArray()
              .add(
                  new JsonObject()
                      .put(Canonical.INDEX, index)
                      .put(
                          "function",
                          new JsonObject()
                              .put("arguments", CustomTools.arguments(item.getValue("input"))))));
    }
  }

  private static JsonObject fragment(int index, JsonObject event) {
    return new JsonObject()
        .put(Canonical.INDEX, index)
        .put("function", new JsonObject().put("arguments", event.getValue("delta")));
  }

  private static StreamError failure(JsonObject error) {
    String code = JsonFields.string(error, "code");
    String message = JsonFields.string(error, "message");
    return new StreamError(
        code == null ? "upstream_error" : code,
        message == null ? "the Responses API provider failed the answer" : message);
  }
}
