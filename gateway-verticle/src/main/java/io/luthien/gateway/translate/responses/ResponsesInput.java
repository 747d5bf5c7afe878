package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.Messages;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A request's {@code input} ↔ canonical messages. Message items keep their role and become chat
 * messages (text parts {@code input_text} / {@code output_text} ↔ {@code text}, {@code input_image}
 * ↔ {@code image_url}, {@code input_file} ↔ {@code file}); {@code function_call} items join the
 * assistant message before them as its tool calls ({@code call_id} is the tool call id); a {@code
 * function_call_output} is a tool message; {@code custom_tool_call} and its output are a function
 * call ({@link CustomTools}) and a tool message likewise; a {@code reasoning} item is a thinking
 * block of the assistant message after it ({@link ResponsesReasoning}); a {@code web_search_call}
 * (a search the provider ran) is left out.
 */
final class ResponsesInput {

  private ResponsesInput() {}

  static void toMessages(Object input, JsonArray messages) {
    toMessages(input, messages, Untranslatable.REFUSED);
  }

  /**
   * {@code untranslatable} says what becomes of an item or content part with no canonical form:
   * refused with a 400 naming it, or left out (for a backend that gets the items themselves).
   */
  static void toMessages(Object input, JsonArray messages, Untranslatable untranslatable) {
    if (input instanceof String text) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
      return;
    }
    if (!(input instanceof JsonArray items)) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String field = "input[" + i + "]";
      String type = item.getValue("type") instanceof String name ? name : "message";
      switch (type) {
        case "message" -> addMessage(message(item, field, untranslatable), messages);
        case "function_call" -> toolCall(item, item.getValue("arguments"), messages);
        case "custom_tool_call" ->
            toolCall(item, CustomTools.arguments(item.getValue("input")), messages);
        case "function_call_output", "custom_tool_call_output" ->
            messages.add(toolOutput(item, field, untranslatable));
        case "web_search_call" -> {} // the search ran at the provider; the answer's text holds it
        case "reasoning" -> ResponsesReasoning.toThinking(item, messages);
        default -> {
          if (untranslatable == Untranslatable.REFUSED) {
            throw unsupported(
                "unsupported_input_item",
                field + ".type",
                "input items of type '" + type + "' are not supported by this gateway");
          }
        }
      }
    }
    ResponsesReasoning.dropThinkingOnly(messages);
  }

  /**
   * An assistant message joins the thinking before it; any other message is a message of its own.
   */
  private static void addMessage(JsonObject message, JsonArray messages) {
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (Canonical.ROLE_ASSISTANT.equals(message.getValue("role"))
        && ResponsesReasoning.isThinkingOnly(last)) {
      last.put("content", message.getValue("content"));
    } else {
      messages.add(message);
    }
  }

  private static JsonObject message(JsonObject item, String field, Untranslatable untranslatable) {
    Object role = item.getValue("role");
    if (!ResponsesRequests.isMessageRole(role)) {
      throw ResponsesRequests.invalid(
          field + ".role", "'" + field + ".role' must be user, assistant, system or developer");
    }
    Object content = item.getValue("content");
    JsonObject message = new JsonObject().put("role", role);
    if (content instanceof String text) {
      return message.put("content", text);
    }
    if (!(content instanceof JsonArray parts)) {
      throw ResponsesRequests.invalid(
          field + ".content", "'" + field + ".content' must be a string or an array of parts");
    }
    if ("assistant".equals(role)) {
      StringBuilder text = new StringBuilder();
      for (JsonObject part : JsonFields.objects(parts)) {
        text.append(
            JsonFields.string(part, "text") != null
                ? part.getString("text")
                : JsonFields.string(part, "refusal") != null ? part.getString("refusal") : "");
      }
      return message.put("content", text.toString());
    }
    JsonArray out = new JsonArray();
    for (int k = 0; k < parts.size(); k++) {
      String partField = field + ".content[" + k + "]";
      if (!(parts.getValue(k) instanceof JsonObject part)) {
        throw ResponsesRequests.invalid(partField, "'" + partField + "' must be an object");
      }
      addPart(out, part, partField, untranslatable);
    }
    return message.put("content", out);
  }

  private static void addPart(
      JsonArray out, JsonObject part, String field, Untranslatable untranslatable) {
    try {
      out.add(part(part, field));
    } catch (GatewayException refused) {
      if (untranslatable == Untranslatable.REFUSED) {
        throw refused;
      }
    }
  }

  private static JsonObject part(JsonObject part, String field) {
    String type = String.valueOf(part.getValue("type"));
    switch (type) {
      case "input_text", "output_text", "text" -> {
        return new JsonObject().put("type", "text").put("text", part.getValue("text"));
      }
      case "input_image" -> {
        if (!(part.getValue("image_url") instanceof String url)) {
          throw unsupported(
              "unsupported_content_part",
              field,
              "input_image needs an image_url (file_id is not supported by this gateway)");
        }
        JsonObject image = new JsonObject().put("url", url);
        if (part.getValue("detail") != null) {
          image.put("detail", part.getValue("detail"));
        }
        return new JsonObject().put("type", "image_url").put("image_url", image);
      }
      case "input_file" -> {
        JsonObject file = new JsonObject();
        for (String key : List.of("file_data", "file_id", "filename")) {
          if (part.getValue(key) != null) {
            file.put(key, part.getValue(key));
          }
        }
        return new JsonObject().put("type", "file").put("file", file);
      }
      default ->
          throw unsupported(
              "unsupported_content_part",
              field + ".type",
              "content parts of type '" + type + "' are not supported by this gateway");
    }
  }

  /** Joins the assistant message just before it, or starts one with no text. */
  private static void toolCall(JsonObject item, Object arguments, JsonArray messages) {
    JsonObject call =
        new JsonObject()
            .put("id", item.getValue("call_id"))
            .put("type", Canonical.TOOL_TYPE_FUNCTION)
            .put(
                "function",
                new JsonObject().put("name", item.getValue("name")).put("arguments", arguments));
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last == null || !Canonical.ROLE_ASSISTANT.equals(last.getValue("role"))) {
      last = new JsonObject().put("role", Canonical.ROLE_ASSISTANT).putNull("content");
      messages.add(last);
    }
    JsonArray calls = JsonFields.array(last, Canonical.TOOL_CALLS);
    if (calls == null) {
      calls = new JsonArray();
      last.put(Canonical.TOOL_CALLS, calls);
    }
    calls.add(call);
  }

  private static JsonObject toolOutput(
      JsonObject item, String field, Untranslatable untranslatable) {
    Object output = item.getValue("output");
    Object content;
    if (output instanceof String text) {
      content = text;
    } else if (output instanceof JsonArray parts) {
      JsonArray out = new JsonArray();
      for (int k = 0; k < parts.size(); k++) {
        addPart(out, parts.getJsonObject(k), field + ".output[" + k + "]", untranslatable);
      }
      content = out;
    } else {
      throw ResponsesRequests.invalid(
          field + ".output", "'" + field + ".output' must be a string or an array of parts");
    }
    return new JsonObject()
        .put("role", "tool")
        .put("tool_call_id", item.getValue("call_id"))
        .put("content", content);
  }

  /** Canonical messages → input items, for the record. */
  static JsonArray fromMessages(List<JsonObject> messages) {
    JsonArray items = new JsonArray();
    for (JsonObject message : messages) {
      String role = String.valueOf(message.getValue("role"));
      if ("tool".equals(role)) {
        String text = Messages.text(message);
        items.add(
            new JsonObject()
                .put("type", "function_call_output")
                .put("call_id", message.getValue("tool_call_id"))
                .put("output", text == null ? "" : text));
      } else if (Canonical.ROLE_ASSISTANT.equals(role)) {
        ResponsesReasoning.fromThinking(message).forEach(items::add);
        String text = Messages.text(message);
        if (text != null && !text.isEmpty()) {
          items.add(ResponsesOutput.messageItem(null, text, "completed"));
        }
        for (JsonObject call : JsonFields.objects(JsonFields.array(message, "tool_calls"))) {
          JsonObject function = JsonFields.object(call, "function");
          items.add(
              ResponsesOutput.functionCallItem(
                  null,
                  JsonFields.string(call, "id"),
                  JsonFields.string(function, "name"),
                  JsonFields.string(function, "arguments"),
                  "completed"));
        }
      } else {
        items.add(
            new JsonObject()
                .put("type", "message")
                .put("role", role)
                .put("content", inputContent(message.getValue("content"))));
      }
    }
    return items;
  }

  private static Object inputContent(Object content) {
    if (!(content instanceof JsonArray parts)) {
      return content;
    }
    JsonArray out = new JsonArray();
    for (JsonObject part : JsonFields.objects(parts)) {
      switch (String.valueOf(part.getValue("type"))) {
        case "text" ->
            out.add(new JsonObject().put("type", "input_text").put("text", part.getValue("text")));
        case "image_url" -> {
          JsonObject image = JsonFields.object(part, "image_url");
          JsonObject item =
              new JsonObject()
                  .put("type", "input_image")
                  .put("image_url", JsonFields.string(image, "url"));
          if (image != null && image.getValue("detail") != null) {
            item.put("detail", image.getValue("detail"));
          }
          out.add(item);
        }
        case "file" -> {
          JsonObject file = JsonFields.object(part, "file");
          out.add((file == null ? new JsonObject() : file.copy()).put("type", "input_file"));
        }
        default -> out.add(part.copy());
      }
    }
    return out;
  }

  private static GatewayException unsupported(String code, String param, String message) {
    return ApiError.invalidRequest(code, param, message).asException();
  }
}
