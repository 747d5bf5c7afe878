package io.luthien.debug.history;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded request or response, in whichever client format it was recorded (OpenAI chat,
 * Anthropic Messages, OpenAI Responses), as luthien-proxy's {@code ConversationMessage}s: {@code
 * {message_type, content, tool_name, tool_call_id, tool_input, is_error}}, every field present
 * (null when it does not apply). Chat's {@code tool_calls} and {@code tool} messages, Anthropic's
 * {@code tool_use} and {@code tool_result} blocks and the Responses API's {@code function_call} /
 * {@code function_call_output} items (and their {@code custom_tool_call} twins) become {@code
 * tool_call} and {@code tool_result} messages; images, reasoning and thinking are left out.
 */
final class ClientMessages {

  private ClientMessages() {}

  /**
   * Every message of a request: the system prompt ({@code system}, {@code instructions}) first,
   * then {@code messages} or {@code input}.
   */
  static List<JsonObject> request(JsonObject request) {
    List<JsonObject> messages = new ArrayList<>();
    String system = text(request.getValue("system"));
    if (system.isEmpty()) {
      system = text(request.getValue("instructions"));
    }
    if (!system.isEmpty()) {
      messages.add(message(MessageType.SYSTEM, system));
    }
    Object conversation =
        request.containsKey("messages") ? request.getValue("messages") : request.getValue("input");
    if (conversation instanceof String prompt) {
      messages.add(message(MessageType.USER, prompt));
    } else if (conversation instanceof JsonArray items) {
      for (Object item : items) {
        if (item instanceof JsonObject one) {
          item(one, messages);
        }
      }
    }
    return messages;
  }

  /**
   * The messages a request brought in its turn: those after the last thing the model said (the
   * user's new message, tool results); all of them in a conversation's first request.
   */
  static List<JsonObject> newInRequest(JsonObject request) {
    List<JsonObject> all = request(request);
    int from = all.size();
    while (from > 0 && !type(all.get(from - 1)).fromModel()) {
      from--;
    }
    return from == 0 ? all : all.subList(from, all.size());
  }

  /**
   * The model's answer: chat {@code choices}, Responses {@code output}, Anthropic {@code content}.
   */
  static List<JsonObject> response(JsonObject response) {
    List<JsonObject> messages = new ArrayList<>();
    if (response.getValue("choices") instanceof JsonArray choices) {
      for (Object choice : choices) {
        if (choice instanceof JsonObject one && one.getValue("message") instanceof JsonObject m) {
          item(m.copy().put("role", "assistant"), messages);
        }
      }
    } else if (response.getValue("output") instanceof JsonArray output) {
      for (Object item : output) {
        if (item instanceof JsonObject one) {
          item(one.containsKey("role") ? one : one.copy().put("role", "assistant"), messages);
        }
      }
    } else if (response.containsKey("content")) {
      item(response.copy().put("role", "assistant"), messages);
    }
    return messages;
  }

  private static MessageType type(JsonObject message) {
    return MessageType.valueOf(
        message.getString("message_type").toUpperCase(java.util.Locale.ROOT));
  }

  /** One chat message, Anthropic message or Responses item. */
  private static void item(JsonObject item, List<JsonObject> messages) {
    String kind = item.getValue("type") instanceof String type ? type : "message";
    switch (kind) {
      case "function_call", "custom_tool_call" ->
          messages.add(
              toolCall(
                  item.getString("name"),
                  item.getString("call_id"),
                  item.getValue(kind.equals("function_call") ? "arguments" : "input")));
      case "function_call_output", "custom_tool_call_output" ->
          messages.add(toolResult(text(item.getValue("output")), item.getString("call_id"), null));
      case "message" -> message(item, messages);
      default -> {
        // reasoning, web search calls, item references: not conversation text
      }
    }
  }

  private static void message(JsonObject item, List<JsonObject> messages) {
    String role = item.getValue("role") instanceof String r ? r : "";
    switch (role) {
      case "system", "developer" ->
          add(messages, MessageType.SYSTEM, text(item.getValue("content")));
      case "tool" ->
          messages.add(
              toolResult(text(item.getValue("content")), item.getString("tool_call_id"), null));
      case "assistant" -> assistant(item, messages);
      default -> user(item, messages);
    }
  }

  private static void assistant(JsonObject item, List<JsonObject> messages) {
    add(messages, MessageType.ASSISTANT, text(item.getValue("content")));
    if (item.getValue("content") instanceof JsonArray blocks) {
      for (Object block : blocks) {
        if (block instanceof JsonObject use && "tool_use".equals(use.getValue("type"))) {
          messages.add(toolCall(use.getString("name"), use.getString("id"), use.getValue("input")));
        }
      }
    }
    if (item.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object call : calls) {
        if (call instanceof JsonObject one && one.getValue("function") instanceof JsonObject f) {
          messages.add(toolCall(f.getString("name"), one.getString("id"), f.getValue("arguments")));
        }
      }
    }
  }

  /** A user message: its text, and each Anthropic {@code tool_result} block as a tool result. */
  private static void user(JsonObject item, List<JsonObject> messages) {
    if (!(item.getValue("content") instanceof JsonArray blocks)) {
      add(messages, MessageType.USER, text(item.getValue("content")));
      return;
    }
    for (Object block : blocks) {
      if (!(block instanceof JsonObject part)) {
        continue;
      }
      if ("tool_result".equals(part.getValue("type"))) {
        messages.add(
            toolResult(
                text(part.getValue("content")),
                part.getString("tool_use_id"),
                Boolean.TRUE.equals(part.getValue("is_error")) ? Boolean.TRUE : null));
      } else {
        add(messages, MessageType.USER, text(new JsonArray().add(part)));
      }
    }
  }

  private static void add(List<JsonObject> messages, MessageType type, String content) {
    if (!content.isEmpty()) {
      messages.add(message(type, content));
    }
  }

  private static JsonObject message(MessageType type, String content) {
    return new JsonObject()
        .put("message_type", type.wire())
        .put("content", content)
        .putNull("tool_name")
        .putNull("tool_call_id")
        .putNull("tool_input")
        .putNull("is_error");
  }

  /** {@code input}: an object (Anthropic) or its JSON text (chat and Responses arguments). */
  private static JsonObject toolCall(String name, String id, Object input) {
    JsonObject message = message(MessageType.TOOL_CALL, "");
    JsonObject parsed = null;
    String content;
    if (input instanceof JsonObject object) {
      parsed = object;
      content = object.encode();
    } else {
      content = input instanceof String text ? text : "";
      parsed = parsedObject(content);
    }
    return message
        .put("content", content)
        .put("tool_name", name)
        .put("tool_call_id", id)
        .put("tool_input", parsed);
  }

  private static JsonObject toolResult(String content, String id, Boolean isError) {
    return message(MessageType.TOOL_RESULT, content)
        .put("tool_call_id", id)
        .put("is_error", isError);
  }

  private static JsonObject parsedObject(String json) {
    try {
      return json.strip().startsWith("{") ? new JsonObject(json) : null;
    } catch (DecodeException notJson) {
      return null;
    }
  }

  /** A string, or the text of parts ({@code text}, {@code input_text}, {@code output_text}, …). */
  static String text(Object content) {
    if (content instanceof String plain) {
      return plain;
    }
    if (!(content instanceof JsonArray parts)) {
      return "";
    }
    List<String> texts = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof String plain) {
        texts.add(plain);
      } else if (part instanceof JsonObject block
          && block.getValue("type") instanceof String type
          && (type.equals("text") || type.endsWith("_text"))
          && block.getValue("text") instanceof String text) {
        texts.add(text);
      }
    }
    return String.join("\n", texts);
  }
}
