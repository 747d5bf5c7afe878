package io.luthien.canonical;

import io.vertx.core.json.JsonObject;

/**
 * A whole tool call of an answer, {@code {id, type: "function", function: {name, arguments}}}.
 *
 * @param id the call's id ({@code call_...}), which the tool's result message names; null when the
 *     model gave none
 * @param name the function to call, or null
 * @param arguments the arguments as JSON text (a JSON object when the model got it right), or null
 */
public record ToolCall(String id, String name, String arguments) {

  /** Reads a {@code tool_calls[]} item; what is missing or of the wrong type reads as null. */
  public static ToolCall of(JsonObject call) {
    JsonObject function = JsonFields.object(call, Canonical.FUNCTION);
    return new ToolCall(
        JsonFields.string(call, Canonical.ID),
        JsonFields.string(function, Canonical.NAME),
        JsonFields.string(function, Canonical.ARGUMENTS));
  }

  /**
   * The arguments as a JSON object: empty when there are none, null when they are not a JSON object
   * (a model that got the JSON wrong).
   */
  public JsonObject parsedArguments() {
    if (arguments == null || arguments.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(arguments);
    } catch (io.vertx.core.json.DecodeException e) {
      return null;
    }
  }

  /**
   * The {@code tool_calls[]} item: extension keys and other fields of the call it was read from are
   * not kept.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Canonical.ID, id)
        .put(Canonical.TYPE, Canonical.TOOL_TYPE_FUNCTION)
        .put(
            Canonical.FUNCTION,
            new JsonObject().put(Canonical.NAME, name).put(Canonical.ARGUMENTS, arguments));
  }
}
