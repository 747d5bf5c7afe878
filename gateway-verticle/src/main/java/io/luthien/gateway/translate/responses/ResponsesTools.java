package io.luthien.gateway.translate.responses;

import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Function tools and {@code tool_choice}: the Responses API's flat {@code {type: "function", name,
 * description, parameters, strict}} ↔ chat completions' {@code {type: "function", function:
 * {...}}}. Tools of other types (built-in tools such as {@code web_search}, {@code custom} tools)
 * have no chat completions form and are left out.
 */
final class ResponsesTools {

  private static final List<String> FUNCTION_FIELDS =
      List.of("name", "description", "parameters", "strict");

  private ResponsesTools() {}

  static JsonArray toCanonical(Object tools) {
    JsonArray out = new JsonArray();
    if (!(tools instanceof JsonArray list)) {
      return out;
    }
    for (JsonObject tool : JsonFields.objects(list)) {
      if (!"function".equals(tool.getValue("type"))) {
        continue;
      }
      JsonObject function = new JsonObject();
      for (String field : FUNCTION_FIELDS) {
        if (tool.getValue(field) != null) {
          function.put(field, JsonFields.copy(tool.getValue(field)));
        }
      }
      out.add(new JsonObject().put("type", "function").put("function", function));
    }
    return out;
  }

  static JsonArray fromCanonical(JsonArray tools) {
    JsonArray out = new JsonArray();
    for (JsonObject tool : JsonFields.objects(tools)) {
      JsonObject function = JsonFields.object(tool, "function");
      if (function == null) {
        out.add(tool.copy());
        continue;
      }
      JsonObject flat = new JsonObject().put("type", "function");
      for (String field : FUNCTION_FIELDS) {
        flat.put(field, JsonFields.copy(function.getValue(field)));
      }
      out.add(flat);
    }
    return out;
  }

  /**
   * {@code none} / {@code auto} / {@code required} as they are, {@code {type: "function", name}}
   * nested; null (left out) for a choice chat completions has no form for.
   */
  static Object choiceToCanonical(Object choice) {
    if (choice instanceof String mode) {
      return mode;
    }
    if (choice instanceof JsonObject object
        && "function".equals(object.getValue("type"))
        && object.getValue("name") instanceof String name) {
      return new JsonObject()
          .put("type", "function")
          .put("function", new JsonObject().put("name", name));
    }
    return null;
  }

  static Object choiceFromCanonical(Object choice) {
    String name =
        choice instanceof JsonObject object
            ? JsonFields.string(JsonFields.object(object, "function"), "name")
            : null;
    if (name != null) {
      return new JsonObject().put("type", "function").put("name", name);
    }
    return JsonFields.copy(choice);
  }
}
