package io.luthien.policy.library.judge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SimpleLLMPolicy}'s judge decided about one block, in luthien-proxy's JSON ({@code
 * simple_llm_utils.parse_judge_action}): {@code {"action": "pass"}}, or {@code {"action":
 * "replace", "blocks": [{"type": "text", "text": ...}, {"type": "tool_use", "name": ..., "input":
 * {...}}]}}. A judge that failed yields the policy's {@code on_error} ({@link Action#PASS} or
 * {@link Action#BLOCK}) with {@link #judgeFailed()} set.
 *
 * @param blocks the replacement, for {@link Action#REPLACE}; else empty
 */
record BlockVerdict(Action action, List<Replacement> blocks, boolean judgeFailed) {

  enum Action {
    PASS,
    REPLACE,
    BLOCK
  }

  /**
   * One replacement block: {@code text}, or a tool call ({@code name} and its {@code input}); a
   * block of another type is skipped, as luthien-proxy does.
   */
  record Replacement(String type, String text, String name, JsonObject input) {}

  static final BlockVerdict PASS = new BlockVerdict(Action.PASS, List.of(), false);

  /** A plain pass: the block goes on unchanged and nothing is added. */
  boolean keepsAsIs() {
    return action == Action.PASS && !judgeFailed;
  }

  static BlockVerdict failed(boolean block) {
    return new BlockVerdict(block ? Action.BLOCK : Action.PASS, List.of(), true);
  }

  /**
   * Reads the judge's answer.
   *
   * @throws JudgeFailure when it is not a verdict
   */
  static BlockVerdict parse(String answer) {
    JsonObject data = JudgeJson.parseObject(answer);
    if (!data.containsKey("action")) {
      throw new JudgeFailure("Judge response missing required 'action' field");
    }
    Object action = data.getValue("action");
    if ("pass".equals(action)) {
      return PASS;
    }
    if (!"replace".equals(action)) {
      throw new JudgeFailure("Judge action must be 'pass' or 'replace', got '" + action + "'");
    }
    if (!(data.getValue("blocks") instanceof JsonArray raw) || raw.isEmpty()) {
      throw new JudgeFailure("'replace' action requires non-empty 'blocks' array");
    }
    List<Replacement> blocks = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      blocks.add(replacement(raw.getValue(i)));
    }
    return new BlockVerdict(Action.REPLACE, List.copyOf(blocks), false);
  }

  private static Replacement replacement(Object item) {
    if (!(item instanceof JsonObject block)) {
      throw new JudgeFailure("Each block must be a JSON object");
    }
    Object type = block.getValue("type");
    if (!(type instanceof String kind) || kind.isEmpty()) {
      throw new JudgeFailure("Each block must have a 'type' field");
    }
    switch (kind) {
      case "text" -> {
        if (!block.containsKey("text")) {
          throw new JudgeFailure("text block: 'text' field is required");
        }
        return new Replacement(kind, asText(block.getValue("text")), null, null);
      }
      case "tool_use" -> {
        if (!block.containsKey("name")) {
          throw new JudgeFailure("tool_use block: 'name' field is required");
        }
        Object input = block.getValue("input");
        if (input != null && !(input instanceof JsonObject)) {
          throw new JudgeFailure("tool_use block: 'input' must be a JSON object");
        }
        return new Replacement(
            kind,
            null,
            asText(block.getValue("name")),
            input == null ? new JsonObject() : (JsonObject) input);
      }
      default -> {
        return new Replacement(kind, asText(block.getValue("text")), null, null);
      }
    }
  }

  private static String asText(Object value) {
    if (value == null) {
      return "";
    }
    return value instanceof String text ? text : JudgeJson.pythonDumps(value);
  }
}
