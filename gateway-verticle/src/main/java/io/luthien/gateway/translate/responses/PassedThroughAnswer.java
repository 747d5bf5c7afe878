package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Responses API backend's whole answer as its Responses client gets it: the backend's own
 * response, its {@code id} the gateway's (so that {@code previous_response_id} and {@code GET
 * /v1/responses/{id}} find it in the recording), and what the policy changed in the canonical
 * answer written back. Changed text becomes the text of the first {@code output_text} part (the
 * other parts' text emptied; a message item is added when there was none); changed tool-call
 * arguments replace their items' {@code arguments} (a custom tool's {@code input}), a call the
 * policy dropped loses its item and one it added gets a {@code function_call} item. Reasoning and
 * built-in tool items stay as they came.
 */
public final class PassedThroughAnswer {

  private PassedThroughAnswer() {}

  public static JsonObject forClient(
      JsonObject upstreamResponse,
      ResponseIds ids,
      JsonObject originalCanonical,
      JsonObject finalCanonical) {
    JsonObject out = upstreamResponse.copy().put("id", ids.responseId());
    if (originalCanonical.equals(finalCanonical)) {
      return out;
    }
    JsonArray output = JsonFields.array(out, "output");
    if (output == null) {
      output = new JsonArray();
      out.put("output", output);
    }
    String finalText = Completions.text(finalCanonical);
    if (!Objects.equals(Completions.text(originalCanonical), finalText)) {
      replaceText(output, finalText == null ? "" : finalText, ids);
    }
    JsonArray originalCalls = toolCalls(originalCanonical);
    JsonArray finalCalls = toolCalls(finalCanonical);
    if (!originalCalls.equals(finalCalls)) {
      replaceToolCalls(output, finalCalls);
    }
    return out;
  }

  private static JsonArray toolCalls(JsonObject completion) {
    JsonObject message = Completions.message(Choices.first(completion));
    JsonArray calls = JsonFields.array(message, Canonical.TOOL_CALLS);
    return calls == null ? new JsonArray() : calls;
  }

  private static void replaceText(JsonArray output, String text, ResponseIds ids) {
    boolean placed = false;
    int firstCall = -1;
    for (int i = 0; i < output.size(); i++) {
      JsonObject item = output.getJsonObject(i);
      String type = JsonFields.string(item, "type");
      if (firstCall < 0 && ("function_call".equals(type) || "custom_tool_call".equals(type))) {
        firstCall = i;
      }
      if (!"message".equals(type)) {
        continue;
      }
      for (JsonObject part : JsonFields.objects(JsonFields.array(item, "content"))) {
        if ("output_text".equals(part.getValue("type"))) {
          part.put("text", placed ? "" : text);
          placed = true;
        }
      }
    }
    if (!placed && !text.isEmpty()) {
      JsonObject item =
          ResponsesOutput.messageItem(ids.item(output.size()), text, ResponsesOutput.COMPLETED);
      output.add(firstCall < 0 ? output.size() : firstCall, item);
    }
  }

  private static void replaceToolCalls(JsonArray output, JsonArray finalCalls) {
    Map<String, JsonObject> calls = new LinkedHashMap<>();
    for (JsonObject call : JsonFields.objects(finalCalls)) {
      calls.put(JsonFields.string(call, "id"), call);
    }
    for (int i = output.size() - 1; i >= 0; i--) {
      JsonObject item = output.getJsonObject(i);
      String type = JsonFields.string(item, "type");
      if (!"function_call".equals(type) && !"custom_tool_call".equals(type)) {
        continue;
      }
      JsonObject call = calls.remove(JsonFields.string(item, "call_id"));
      if (call == null) {
        output.remove(i);
        continue;
      }
      String arguments = JsonFields.string(JsonFields.object(call, "function"), "arguments");
      if ("custom_tool_call".equals(type)) {
        item.put("input", CustomTools.input(arguments));
      } else {
        item.put("arguments", arguments == null ? "" : arguments);
      }
    }
    calls.forEach(
        (callId, call) -> {
          JsonObject function = JsonFields.object(call, "function");
          output.add(
              ResponsesOutput.functionCallItem(
                  null,
                  callId,
                  JsonFields.string(function, "name"),
                  JsonFields.string(function, "arguments"),
                  ResponsesOutput.COMPLETED));
        });
  }
}
