package io.luthien.canonical;

import io.vertx.core.json.JsonObject;

/**
 * One streamed fragment of a tool call, a chunk's {@code delta.tool_calls[]} item. The first
 * fragment of a call names its id and function; later ones only add to its arguments; all of them
 * carry its index. A call is whole when the stream's finish reason arrives.
 *
 * @param index which of the choice's tool calls this belongs to (the array position when the
 *     fragment has none)
 * @param id the call's id, on its first fragment only; else null
 * @param name the function's name (or a piece of it), usually on the first fragment only; else null
 * @param arguments the next piece of the arguments' JSON text, or null
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {

  /** Reads a fragment; {@code position} is its place in its {@code tool_calls} array. */
  public static ToolCallDelta of(JsonObject fragment, int position) {
    JsonObject function = JsonFields.object(fragment, Canonical.FUNCTION);
    int index =
        fragment.getValue(Canonical.INDEX) instanceof Number number ? number.intValue() : position;
    return new ToolCallDelta(
        index,
        JsonFields.string(fragment, Canonical.ID),
        JsonFields.string(function, Canonical.NAME),
        JsonFields.string(function, Canonical.ARGUMENTS));
  }

  /**
   * The fragment as OpenAI streams it: id and type only on a fragment with an id, absent parts left
   * out.
   */
  public JsonObject toJson() {
    JsonObject fragment = new JsonObject().put(Canonical.INDEX, index);
    if (id != null) {
      fragment.put(Canonical.ID, id).put(Canonical.TYPE, Canonical.TOOL_TYPE_FUNCTION);
    }
    JsonObject function = new JsonObject();
    if (name != null) {
      function.put(Canonical.NAME, name);
    }
    if (arguments != null) {
      function.put(Canonical.ARGUMENTS, arguments);
    }
    return fragment.put(Canonical.FUNCTION, function);
  }
}
