package io.luthien.policy.library.judge;

import io.luthien.canonical.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The messages {@link SimpleLLMPolicy} sends its judge, as luthien-proxy's {@code
 * simple_llm_utils.build_judge_prompt} writes them: a system message with the instructions and the
 * verdict JSON, and a user message with the blocks already committed and the block to evaluate.
 */
final class SimpleLLMPrompt {

  /** luthien-proxy's {@code _JUDGE_SYSTEM_TEMPLATE}; the verdict JSON is the judges' contract. */
  private static final String SYSTEM_TEMPLATE =
      """
      You are a content policy judge. Your job is to evaluate LLM response blocks \
      against the following instructions and decide whether to pass them through or \
      replace them.

      INSTRUCTIONS:
      %s

      You must respond with a JSON object using one of these two formats:

      To allow the block unchanged:
      {"action": "pass"}

      To replace the block with new content:
      {"action": "replace", "blocks": [{"type": "text", "text": "replacement text"}]}

      Blocks can be of type "text" (with a "text" field) or "tool_use" (with "name" \
      and "input" fields).

      Respond ONLY with valid JSON. No additional text.""";

  static final String TEXT = "text";
  static final String TOOL_USE = "tool_use";

  private SimpleLLMPrompt() {}

  /** A block as the judge sees it: its type ({@code text} or {@code tool_use}) and content. */
  record Block(String type, String content) {

    static Block text(String text) {
      return new Block(TEXT, text);
    }

    /** {@code name({"key": "value"})}, the arguments as Python's {@code json.dumps} writes them. */
    static Block toolUse(ToolCall call) {
      String name = call.name() == null ? "" : call.name();
      return new Block(
          TOOL_USE,
          name + "(" + JudgeJson.pythonDumps(JudgeJson.toolInput(call.arguments())) + ")");
    }
  }

  static String system(String instructions) {
    return SYSTEM_TEMPLATE.replace("%s", instructions);
  }

  static JsonArray messages(String instructions, Block current, List<Block> previous) {
    StringBuilder user = new StringBuilder();
    if (!previous.isEmpty()) {
      user.append("Previous blocks in this response:\n");
      for (int i = 0; i < previous.size(); i++) {
        Block block = previous.get(i);
        user.append("  [")
            .append(i + 1)
            .append("] (")
            .append(block.type())
            .append(") ")
            .append(block.content())
            .append('\n');
      }
      user.append('\n');
    }
    user.append("Current block to evaluate (").append(current.type()).append("):\n");
    user.append(current.content());
    return new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", system(instructions)))
        .add(new JsonObject().put("role", "user").put("content", user.toString()));
  }
}
