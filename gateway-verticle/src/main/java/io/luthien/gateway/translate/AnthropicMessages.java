package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.ToolIds;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The conversation, Anthropic ↔ canonical: {@code system} becomes a leading system message, a user
 * turn's {@code tool_result} blocks become tool messages ahead of its other content, an assistant
 * turn's {@code tool_use} blocks become {@code tool_calls} and its thinking blocks {@link
 * Canonical#THINKING}.
 */
final class AnthropicMessages {

  private static final Set<String> TOOL_USE_KEYS = Set.of("type", "id", "name", "input");
  private static final Set<String> TOOL_RESULT_KEYS = Set.of("type", "tool_use_id", "content");
  private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");

  /** An Anthropic {@code system} value (null when none) and {@code messages} array. */
  record Conversation(Object system, JsonArray messages) {}

  private AnthropicMessages() {}

  static JsonArray toCanonical(Object system, JsonArray messages) {
    JsonArray out = new JsonArray();
    if (system != null) {
      out.add(
          new JsonObject()
              .put("role", "system")
              .put("content", AnthropicContent.toCanonical(system)));
    }
    for (Object value : messages) {
      JsonObject message = (JsonObject) value;
      String role = message.getString("role");
      Object content = message.getValue("content");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        out.add(inMessagesToCanonical(message));
      } else if (!(content instanceof JsonArray blocks)) {
        out.add(new JsonObject().put("role", role).put("content", content));
      } else if ("assistant".equals(role)) {
        out.add(assistantToCanonical(blocks));
      } else {
        userToCanonical(role, blocks, out);
      }
    }
    return out;
  }

  /**
   * A message of another role than user or assistant (a mid-conversation {@code system} message):
   * kept at its position with its role, its blocks as parts, marked so that it goes back where it
   * was.
   */
  private static JsonObject inMessagesToCanonical(JsonObject message) {
    JsonObject out =
        new JsonObject()
            .put("role", message.getValue("role"))
            .put("content", AnthropicContent.toCanonical(message.getValue("content")))
            .put(Canonical.IN_MESSAGES, true);
    return Extensions.withExtras(out, message, MESSAGE_KEYS);
  }

  private static void userToCanonical(String role, JsonArray blocks, JsonArray out) {
    JsonArray rest = new JsonArray();
    boolean anyToolResult = false;
    for (Object value : blocks) {
      JsonObject block = value instanceof JsonObject object ? object : new JsonObject();
      if ("tool_result".equals(block.getValue("type"))) {
        anyToolResult = true;
        out.add(toolMessage(block));
      } else {
        rest.add(value instanceof JsonObject object ? AnthropicContent.toPart(object) : value);
      }
    }
    if (!rest.isEmpty() || !anyToolResult) {
      out.add(new JsonObject().put("role", role).put("content", rest));
    }
  }

  private static JsonObject toolMessage(JsonObject result) {
    Object content =
        result.containsKey("content")
            ? AnthropicContent.toCanonical(result.getValue("content"))
            : "";
    JsonObject message =
        new JsonObject()
            .put("role", "tool")
            .put("tool_call_id", ToolIds.toOpenAi(JsonFields.string(result, "tool_use_id")))
            .put("content", content);
    return Extensions.withExtras(message, result, TOOL_RESULT_KEYS);
  }

  private static JsonObject assistantToCanonical(JsonArray blocks) {
    JsonArray thinking = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    JsonArray parts = new JsonArray();
    for (Object value : blocks) {
      JsonObject block = value instanceof JsonObject object ? object : new JsonObject();
      String type = JsonFields.string(block, "type");
      if ("thinking".equals(type) || "redacted_thinking".equals(type)) {
        thinking.add(block.copy());
      } else if ("tool_use".equals(type)) {
        toolCalls.add(toolCall(block));
      } else {
        parts.add(value instanceof JsonObject object ? AnthropicContent.toPart(object) : value);
      }
    }
    JsonObject message =
        new JsonObject().put("role", "assistant").put("content", parts.isEmpty() ? null : parts);
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    if (!thinking.isEmpty()) {
      message.put(Canonical.THINKING, thinking);
    }
    return message;
  }

  static JsonObject toolCall(JsonObject toolUse) {
    Object input = toolUse.getValue("input");
    JsonObject call =
        new JsonObject()
            .put("id", ToolIds.toOpenAi(JsonFields.string(toolUse, "id")))
            .put("type", "function")
            .put(
                "function",
                new JsonObject()
                    .put("name", toolUse.getValue("name"))
                    .put("arguments", Json.encode(input == null ? new JsonObject() : input)));
    return Extensions.withExtras(call, toolUse, TOOL_USE_KEYS);
  }

  static Conversation toAnthropic(JsonArray messages) {
    JsonArray system = new JsonArray();
    Object onlySystem = null;
    int systemMessages = 0;
    JsonArray out = new JsonArray();
    JsonObject toolTurn =
        null; // the user turn the latest tool messages went into; the next user turn joins it
    for (int i = 0; i < messages.size(); i++) {
      String where = "messages[" + i + "]";
      JsonObject message =
          messages.getValue(i) instanceof JsonObject object ? object : new JsonObject();
      String role = String.valueOf(message.getValue("role"));
      Object content = AnthropicContent.toAnthropic(message.getValue("content"), where);
      if (Boolean.TRUE.equals(message.getValue(Canonical.IN_MESSAGES))) {
        out.add(
            Extensions.restoreExtras(
                new JsonObject().put("role", role).put("content", content), message));
        toolTurn = null;
        continue;
      }
      switch (role) {
        case "system", "developer" -> {
          systemMessages++;
          onlySystem = content;
          system.addAll(asBlocks(content));
        }
        case "user" -> {
          if (toolTurn != null) {
            toolTurn.getJsonArray("content").addAll(asBlocks(content));
          } else {
            out.add(new JsonObject().put("role", "user").put("content", content));
          }
          toolTurn = null;
        }
        case "assistant" -> {
          out.add(assistantToAnthropic(message, content, where));
          toolTurn = null;
        }
        case "tool" -> {
          if (toolTurn == null) {
            toolTurn = new JsonObject().put("role", "user").put("content", new JsonArray());
            out.add(toolTurn);
          }
          toolTurn.getJsonArray("content").add(toolResult(message, content));
        }
        default ->
            throw ApiError.invalidRequest(
                    "unsupported_role",
                    where + ".role",
                    "message role '" + role + "' cannot be translated to the Anthropic format")
                .asException();
      }
    }
    Object systemValue = systemMessages == 0 ? null : systemMessages == 1 ? onlySystem : system;
    return new Conversation(systemValue, out);
  }

  private static JsonArray asBlocks(Object content) {
    if (content instanceof JsonArray blocks) {
      return blocks;
    }
    JsonArray blocks = new JsonArray();
    if (content instanceof String text && !text.isEmpty()) {
      blocks.add(new JsonObject().put("type", "text").put("text", text));
    }
    return blocks;
  }

  private static JsonObject assistantToAnthropic(JsonObject message, Object content, String where) {
    JsonArray thinking =
        message.getValue(Canonical.THINKING) instanceof JsonArray list ? list : new JsonArray();
    JsonArray toolCalls =
        message.getValue("tool_calls") instanceof JsonArray list ? list : new JsonArray();
    JsonObject out = new JsonObject().put("role", "assistant");
    if (content instanceof String && thinking.isEmpty() && toolCalls.isEmpty()) {
      return out.put("content", content);
    }
    JsonArray blocks = thinking.copy();
    blocks.addAll(asBlocks(content));
    for (int k = 0; k < toolCalls.size(); k++) {
      JsonObject call =
          toolCalls.getValue(k) instanceof JsonObject object ? object : new JsonObject();
      blocks.add(toolUse(call, where + ".tool_calls[" + k + "]"));
    }
    return out.put("content", blocks);
  }

  /**
   * An OpenAI tool call as an Anthropic {@code tool_use} block; arguments that are not a JSON
   * object → 400.
   */
  static JsonObject toolUse(JsonObject call, String where) {
    JsonObject function = JsonFields.object(call, "function");
    String id = JsonFields.string(call, "id");
    JsonObject input = arguments(JsonFields.string(function, "arguments"));
    if (input == null) {
      throw ApiError.invalidRequest(
              "invalid_tool_arguments",
              where + ".function.arguments",
              "tool call '" + id + "' has arguments that are not a JSON object")
          .asException();
    }
    JsonObject block =
        new JsonObject()
            .put("type", "tool_use")
            .put("id", ToolIds.toAnthropic(id))
            .put("name", JsonFields.string(function, "name"))
            .put("input", input);
    return Extensions.restoreExtras(block, call);
  }

  /**
   * The parsed arguments object, {} for empty arguments, or null when they are not a JSON object.
   */
  static JsonObject arguments(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return new JsonObject();
    }
    try {
      return Json.decodeValue(arguments) instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static JsonObject toolResult(JsonObject message, Object content) {
    JsonObject block =
        new JsonObject()
            .put("type", "tool_result")
            .put("tool_use_id", ToolIds.toAnthropic(JsonFields.string(message, "tool_call_id")));
    if (content != null) {
      block.put("content", content);
    }
    return Extensions.restoreExtras(block, message);
  }
}
