package io.luthien.gateway.translate.responses;

import io.luthien.canonical.JsonFields;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code custom} tools, whose input is free-form text (Codex's {@code apply_patch}), as function
 * tools: the function takes one string argument, {@code input}, described by the tool's {@code
 * format} (a grammar's definition, so that the model knows what to write). A call of it comes back
 * as a {@code custom_tool_call} with that {@code input}; a {@code custom_tool_call} sent back in
 * {@code input} is a call of the function again.
 */
final class CustomTools {

  static final String INPUT = "input";

  private CustomTools() {}

  static JsonObject function(JsonObject tool) {
    JsonObject input = new JsonObject().put("type", "string").put("description", describe(tool));
    JsonObject function =
        new JsonObject()
            .put("name", tool.getValue("name"))
            .put(
                "parameters",
                new JsonObject()
                    .put("type", "object")
                    .put("properties", new JsonObject().put(INPUT, input))
                    .put("required", new JsonArray().add(INPUT))
                    .put("additionalProperties", false));
    if (tool.getValue("description") instanceof String description) {
      function.put("description", description);
    }
    return new JsonObject().put("type", "function").put("function", function);
  }

  private static String describe(JsonObject tool) {
    JsonObject format = JsonFields.object(tool, "format");
    String definition = JsonFields.string(format, "definition");
    if (definition == null) {
      return "The tool's input, as free-form text.";
    }
    return "The tool's input, as free-form text following this "
        + JsonFields.string(format, "syntax")
        + " grammar:\n"
        + definition;
  }

  /**
   * The call's text: its arguments' {@code input}, or the arguments themselves when they lack it.
   */
  static String input(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "";
    }
    try {
      if (Json.decodeValue(arguments) instanceof JsonObject object
          && object.getValue(INPUT) instanceof String input) {
        return input;
      }
    } catch (DecodeException e) {
      // not JSON: the model wrote the text itself
    }
    return arguments;
  }

  static String arguments(Object input) {
    return new JsonObject().put(INPUT, input instanceof String text ? text : "").encode();
  }
}
