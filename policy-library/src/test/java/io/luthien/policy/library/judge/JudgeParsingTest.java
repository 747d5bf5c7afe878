package io.luthien.policy.library.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading judges' answers and writing their prompts as luthien-proxy does")
class JudgeParsingTest {

  /** luthien-proxy's {@code _JUDGE_SYSTEM_TEMPLATE} once formatted, its instructions left open. */
  static final String LUTHIEN_SYSTEM_PROMPT =
      "You are a content policy judge. Your job is to evaluate LLM response blocks against the"
          + " following instructions and decide whether to pass them through or replace"
          + " them.\n\nINSTRUCTIONS:\n{instructions}\n\nYou must respond with a JSON object using"
          + " one of these two formats:\n\nTo allow the block unchanged:\n{\"action\":"
          + " \"pass\"}\n\nTo replace the block with new content:\n{\"action\": \"replace\","
          + " \"blocks\": [{\"type\": \"text\", \"text\": \"replacement text\"}]}\n\nBlocks can be"
          + " of type \"text\" (with a \"text\" field) or \"tool_use\" (with \"name\" and \"input\""
          + " fields).\n\nRespond ONLY with valid JSON. No additional text.";

  @Test
  @DisplayName("the system prompt is luthien-proxy's, word for word")
  void systemPrompt() {
    assertThat(SimpleLLMPrompt.system("Be brief."))
        .isEqualTo(LUTHIEN_SYSTEM_PROMPT.replace("{instructions}", "Be brief."));
  }

  @Test
  @DisplayName("a verdict in a ```json fence, a bare fence, or with whitespace around it is read")
  void codeFences() {
    assertThat(BlockVerdict.parse("```json\n{\"action\": \"pass\"}\n```").keepsAsIs()).isTrue();
    assertThat(BlockVerdict.parse("```\n{\"action\": \"pass\"}```").keepsAsIs()).isTrue();
    assertThat(BlockVerdict.parse("  {\"action\": \"pass\"}\n").keepsAsIs()).isTrue();
    assertThat(BlockVerdict.parse("```JSON\n{\"action\": \"pass\"}\n```").keepsAsIs()).isTrue();
  }

  @Test
  @DisplayName("answers that are no verdict are refused with luthien-proxy's reasons")
  void garbage() {
    assertThatThrownBy(() -> BlockVerdict.parse("I think it is fine"))
        .isInstanceOf(JudgeFailure.class)
        .hasMessageContaining("JSON parsing failed");
    assertThatThrownBy(() -> BlockVerdict.parse("[1, 2]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> BlockVerdict.parse("")).isInstanceOf(JudgeFailure.class);
    assertThatThrownBy(() -> BlockVerdict.parse(null)).isInstanceOf(JudgeFailure.class);
    assertThatThrownBy(() -> BlockVerdict.parse("{}")).hasMessageContaining("'action'");
    assertThatThrownBy(() -> BlockVerdict.parse("{\"action\": \"block\"}"))
        .hasMessageContaining("'pass' or 'replace'");
    assertThatThrownBy(() -> BlockVerdict.parse("{\"action\": \"replace\", \"blocks\": []}"))
        .hasMessageContaining("non-empty 'blocks'");
    assertThatThrownBy(() -> BlockVerdict.parse("{\"action\": \"replace\", \"blocks\": [{}]}"))
        .hasMessageContaining("'type'");
    assertThatThrownBy(
            () ->
                BlockVerdict.parse("{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\"}]}"))
        .hasMessageContaining("'text' field is required");
    assertThatThrownBy(
            () ->
                BlockVerdict.parse(
                    "{\"action\": \"replace\", \"blocks\": [{\"type\": \"tool_use\"}]}"))
        .hasMessageContaining("'name' field is required");
    assertThatThrownBy(() -> BlockVerdict.parse("{\"action\": \"pass\"} trailing"))
        .isInstanceOf(JudgeFailure.class);
    assertThatThrownBy(() -> BlockVerdict.parse("```python\n{\"action\": \"pass\"}\n```"))
        .isInstanceOf(JudgeFailure.class);
  }

  @Test
  @DisplayName(
      "a replacement keeps its text and tool_use blocks in order; a tool_use without input gets {}")
  void replacement() {
    BlockVerdict verdict =
        BlockVerdict.parse(
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"a\"},"
                + " {\"type\": \"tool_use\", \"name\": \"Bash\"}, {\"type\": \"image\"}]}");

    assertThat(verdict.action()).isEqualTo(BlockVerdict.Action.REPLACE);
    assertThat(verdict.blocks())
        .extracting(BlockVerdict.Replacement::type)
        .containsExactly("text", "tool_use", "image");
    assertThat(verdict.blocks().get(1).input()).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName(
      "a tool judge's rating: probability required and clamped into 0..1, explanation optional")
  void rating() {
    assertThat(ToolCallJudgePolicy.Rating.parse("{\"probability\": 0.8, \"explanation\": \"rm\"}"))
        .isEqualTo(new ToolCallJudgePolicy.Rating(0.8, "rm"));
    assertThat(ToolCallJudgePolicy.Rating.parse("```json\n{\"probability\": 1.7}\n```"))
        .isEqualTo(new ToolCallJudgePolicy.Rating(1.0, ""));
    assertThat(ToolCallJudgePolicy.Rating.parse("{\"probability\": \"0.25\"}").probability())
        .isEqualTo(0.25);
    assertThat(ToolCallJudgePolicy.Rating.parse("{\"probability\": -3}").probability()).isZero();
    assertThatThrownBy(() -> ToolCallJudgePolicy.Rating.parse("{\"explanation\": \"x\"}"))
        .hasMessageContaining("'probability'");
    assertThatThrownBy(() -> ToolCallJudgePolicy.Rating.parse("{\"probability\": \"high\"}"))
        .isInstanceOf(JudgeFailure.class);
  }

  @Test
  @DisplayName("JSON is shown as Python's json.dumps writes it")
  void pythonDumps() {
    assertThat(
            JudgeJson.pythonDumps(
                new JsonObject("{\"a\":1,\"b\":[true,null,2.5],\"c\":{\"d\":\"é\\n\\\"\"}}")))
        .isEqualTo("{\"a\": 1, \"b\": [true, null, 2.5], \"c\": {\"d\": \"\\u00e9\\n\\\"\"}}");
    assertThat(JudgeJson.toolInput("not json")).isEqualTo(new JsonObject().put("_raw", "not json"));
    assertThat(JudgeJson.toolInput("")).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName("the blocked-message template is formatted as Python's str.format would")
  void pythonFormat() {
    Map<String, Object> values =
        Map.of(
            "tool_name", "Bash", "tool_arguments", "{}", "probability", 0.876, "explanation", "x");

    assertThat(PythonFormat.of(ToolCallJudgePolicy.DEFAULT_TEMPLATE).format(values))
        .isEqualTo(
            "⛔ BLOCKED: Tool call 'Bash' with arguments {} rejected (probability 0.88)."
                + " Explanation: x");
    assertThat(
            PythonFormat.of("{tool_name} {probability} {{literal}} {probability:.0%}")
                .format(values))
        .isEqualTo("Bash 0.876 {literal} 88%");
    assertThatThrownBy(() -> PythonFormat.of("{tool_name").format(values))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonFormat.of("{tool}").format(values))
        .hasMessageContaining("{tool}");
  }
}
