package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One streamed choice's {@code delta}: what that chunk adds to the choice's message. */
public final class Deltas {

  private Deltas() {}

  /** The text the delta adds, or "" when it adds none. */
  public static String text(JsonObject delta) {
    String text = delta == null ? null : Content.text(delta.getValue(Canonical.CONTENT));
    return text == null ? "" : text;
  }

  /** The role the delta announces (the first chunk of a choice says {@code assistant}), or null. */
  public static String role(JsonObject delta) {
    return JsonFields.string(delta, Canonical.ROLE);
  }

  /** The tool-call fragments the delta carries, in order; empty when it carries none. */
  public static List<ToolCallDelta> toolCalls(JsonObject delta) {
    JsonArray fragments = JsonFields.array(delta, Canonical.TOOL_CALLS);
    if (fragments == null) {
      return List.of();
    }
    List<ToolCallDelta> calls = new ArrayList<>(fragments.size());
    for (int position = 0; position < fragments.size(); position++) {
      if (fragments.getValue(position) instanceof JsonObject fragment) {
        calls.add(ToolCallDelta.of(fragment, position));
      }
    }
    return calls;
  }
}
