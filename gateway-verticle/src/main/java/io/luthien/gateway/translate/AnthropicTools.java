package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Tool definitions and {@code tool_choice}, Anthropic ↔ canonical. */
final class AnthropicTools {

  /**
   * Under the request's {@link Canonical#EXTRA}: Anthropic server tools (web search, bash...),
   * restored as they came.
   */
  static final String TOOLS_EXTRA = "tools_extra";

  private static final Set<String> TOOL_KEYS = Set.of("name", "description", "input_schema");
  private static final Set<String> CHOICE_KEYS =
      Set.of("type", "name", "disable_parallel_tool_use");
  private static final JsonObject EMPTY_SCHEMA =
      new JsonObject().put("type", "object").put("properties", new JsonObject());

  private AnthropicTools() {}

  static void toCanonical(JsonObject request, JsonObject canonical, JsonObject extra) {
    if (request.containsKey("tools")) {
      toolsToCanonical(request.getValue("tools"), canonical, extra);
    }
    if (request.containsKey("tool_choice")) {
      choiceToCanonical(request.getValue("tool_choice"), canonical, extra);
    }
  }

  static void toAnthropic(JsonObject canonical, JsonObject out) {
    JsonArray tools = toolsToAnthropic(canonical);
    if (tools != null) {
      out.put("tools", tools);
    }
    JsonObject choice = choiceToAnthropic(canonical);
    if (choice != null) {
      out.put("tool_choice", choice);
    }
  }

  private static void toolsToCanonical(Object tools, JsonObject canonical, JsonObject extra) {
    if (!(tools instanceof JsonArray list)) {
      extra.put("tools", tools);
      return;
    }
    JsonArray functions = new JsonArray();
    JsonArray serverTools = new JsonArray();
    for (Object tool : list) {
      if (tool instanceof JsonObject definition && isCustom(definition)) {
        functions.add(function(definition));
      } else {
        serverTools.add(JsonFields.copy(tool));
      }
    }
    if (!functions.isEmpty() || serverTools.isEmpty()) {
      canonical.put("tools", functions);
    }
    if (!serverTools.isEmpty()) {
      extra.put(TOOLS_EXTRA, serverTools);
    }
  }

  private static boolean isCustom(JsonObject tool) {
    Object type = tool.getValue("type");
    return (type == null || "custom".equals(type)) && tool.getValue("name") instanceof String;
  }

  private static JsonObject function(JsonObject tool) {
    JsonObject function = new JsonObject().put("name", tool.getString("name"));
    if (tool.containsKey("description")) {
      function.put("description", tool.getValue("description"));
    }
    if (tool.containsKey("input_schema")) {
      function.put("parameters", JsonFields.copy(tool.getValue("input_schema")));
    }
    JsonObject canonical = new JsonObject().put("type", "function").put("function", function);
    return Extensions.withExtras(canonical, tool, TOOL_KEYS);
  }

  private static void choiceToCanonical(Object value, JsonObject canonical, JsonObject extra) {
    Object mapped = null;
    if (value instanceof JsonObject choice && CHOICE_KEYS.containsAll(choice.fieldNames())) {
      mapped =
          switch (String.valueOf(choice.getValue("type"))) {
            case "auto" -> "auto";
            case "any" -> "required";
            case "none" -> "none";
            case "tool" ->
                choice.getValue("name") instanceof String name
                    ? new JsonObject()
                        .put("type", "function")
                        .put("function", new JsonObject().put("name", name))
                    : null;
            default -> null;
          };
      if (mapped != null
          && choice.getValue("disable_parallel_tool_use") instanceof Boolean disable) {
        canonical.put("parallel_tool_calls", !disable);
      }
    }
    if (mapped == null) {
      extra.put(
          "tool_choice",
          JsonFields.copy(value)); // a form we cannot name in OpenAI terms: keep it as it came
    } else {
      canonical.put("tool_choice", mapped);
    }
  }

  private static JsonArray toolsToAnthropic(JsonObject canonical) {
    JsonObject extra = JsonFields.object(canonical, Canonical.EXTRA);
    JsonArray serverTools =
        extra != null && extra.getValue(TOOLS_EXTRA) instanceof JsonArray list ? list : null;
    Object tools = canonical.getValue("tools");
    if (tools == null && serverTools == null) {
      return null;
    }
    JsonArray out = new JsonArray();
    if (tools instanceof JsonArray list) {
      for (int k = 0; k < list.size(); k++) {
        out.add(toolToAnthropic(list.getValue(k), "tools[" + k + "]"));
      }
    } else if (tools != null) {
      throw ApiError.invalidRequest("invalid_request", "tools", "'tools' must be an array")
          .asException();
    }
    if (serverTools != null) {
      serverTools.forEach(tool -> out.add(JsonFields.copy(tool)));
    }
    return out;
  }

  private static JsonObject toolToAnthropic(Object value, String where) {
    JsonObject tool = value instanceof JsonObject object ? object : new JsonObject();
    String type = JsonFields.string(tool, "type");
    JsonObject function = JsonFields.object(tool, "function");
    if (!"function".equals(type)
        || function == null
        || JsonFields.string(function, "name") == null) {
      throw ApiError.invalidRequest(
              "unsupported_tool",
              where + ".type",
              "tool type '" + type + "' cannot be translated to the Anthropic format")
          .asException();
    }
    JsonObject out = new JsonObject().put("name", function.getString("name"));
    if (function.containsKey("description")) {
      out.put("description", function.getValue("description"));
    }
    Object parameters = function.getValue("parameters");
    out.put("input_schema", parameters != null ? JsonFields.copy(parameters) : EMPTY_SCHEMA.copy());
    return Extensions.restoreExtras(out, tool);
  }

  private static JsonObject choiceToAnthropic(JsonObject canonical) {
    Object value = canonical.getValue("tool_choice");
    JsonObject choice;
    if (value == null) {
      choice = null;
    } else if (value instanceof String mode) {
      choice =
          switch (mode) {
            case "auto" -> new JsonObject().put("type", "auto");
            case "required" -> new JsonObject().put("type", "any");
            case "none" -> new JsonObject().put("type", "none");
            default -> throw unsupportedChoice("'" + mode + "'");
          };
    } else if (value instanceof JsonObject named
        && "function".equals(named.getValue("type"))
        && JsonFields.string(JsonFields.object(named, "function"), "name") != null) {
      choice =
          new JsonObject()
              .put("type", "tool")
              .put("name", named.getJsonObject("function").getString("name"));
    } else {
      throw unsupportedChoice(String.valueOf(value));
    }
    if (canonical.getValue("parallel_tool_calls") instanceof Boolean parallel) {
      if (choice == null && !parallel) {
        choice = new JsonObject().put("type", "auto");
      }
      if (choice != null && !"none".equals(choice.getString("type"))) {
        choice.put("disable_parallel_tool_use", !parallel);
      }
    }
    return choice;
  }

  private static GatewayException unsupportedChoice(String what) {
    return ApiError.invalidRequest(
            "unsupported_tool_choice",
            "tool_choice",
            "tool_choice " + what + " cannot be translated to the Anthropic format")
        .asException();
  }
}
