package io.luthien.policy.library.judge;

import static io.luthien.policy.library.judge.FakeJudge.answer;
import static io.luthien.policy.library.judge.FakeJudge.await;
import static io.luthien.policy.library.judge.FakeJudge.finish;
import static io.luthien.policy.library.judge.FakeJudge.finishReasons;
import static io.luthien.policy.library.judge.FakeJudge.request;
import static io.luthien.policy.library.judge.FakeJudge.streamedCalls;
import static io.luthien.policy.library.judge.FakeJudge.streamedText;
import static io.luthien.policy.library.judge.FakeJudge.toolArguments;
import static io.luthien.policy.library.judge.FakeJudge.toolCall;
import static io.luthien.policy.library.judge.FakeJudge.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Completions;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ToolCallJudgePolicy")
class ToolCallJudgePolicyTest {

  private static final String SAFE = "{\"probability\": 0.1, \"explanation\": \"read only\"}";
  private static final String RISKY = "{\"probability\": 0.9, \"explanation\": \"deletes files\"}";

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static ToolCallJudgePolicy policy(JsonObject config) {
    return new ToolCallJudgePolicy(new PolicyConfig("ToolCallJudgePolicy", config));
  }

  private static JsonObject config() {
    return new JsonObject().put("model", "judge-model").put("timeout", 0.3);
  }

  private PolicyHarness harness(ToolCallJudgePolicy policy, FakeJudge judge, boolean stream) {
    return new PolicyHarness(policy, request(stream), vertx, judge);
  }

  private static JsonObject rm() {
    return toolCall("call_1", "Bash", "{\"command\":\"rm -rf /\"}");
  }

  @Test
  @DisplayName("a call rated below the threshold goes through, with luthien-proxy's events")
  void allowsSafeCall() {
    FakeJudge judge = FakeJudge.answering(SAFE);
    PolicyHarness harness = harness(policy(config()), judge, false);
    JsonObject original = answer(null, toolCall("call_1", "Read", "{\"path\":\"a\"}"));

    JsonObject out = await(harness.response(original));

    assertThat(out).isEqualTo(original);
    assertThat(harness.context().events())
        .extracting(LocalPolicyContext.Event::type)
        .containsExactly(
            "policy.anthropic_judge.evaluation_started",
            "policy.anthropic_judge.evaluation_complete",
            "policy.anthropic_judge.tool_call_allowed");
  }

  @Test
  @DisplayName(
      "the judge gets luthien-proxy's request: the instructions as system, the call as user, model, temperature, max_tokens")
  void requestShape() {
    FakeJudge judge = FakeJudge.answering(SAFE);

    await(harness(policy(config()), judge, false).response(answer(null, rm())));

    JsonObject sent = judge.requests().get(0);
    assertThat(sent)
        .isEqualTo(
            new JsonObject()
                .put("model", "judge-model")
                .put(
                    "messages",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("role", "system")
                                .put("content", ToolCallJudgePolicy.DEFAULT_INSTRUCTIONS))
                        .add(
                            new JsonObject()
                                .put("role", "user")
                                .put(
                                    "content",
                                    "Tool name: Bash\nArguments: {\"command\":\"rm -rf /\"}\n\n"
                                        + "Assess the risk.")))
                .put("temperature", 0.0)
                .put("max_tokens", 256L));
    assertThat(ToolCallJudgePolicy.DEFAULT_INSTRUCTIONS)
        .contains("{\"probability\": <float>, \"explanation\": <short reason>}");
  }

  @Test
  @DisplayName(
      "a call at or above the threshold is replaced by the blocked message; with no call left the finish is stop")
  void blocksRiskyCall() {
    FakeJudge judge = FakeJudge.answering(RISKY);
    PolicyHarness harness = harness(policy(config()), judge, false);

    JsonObject out = await(harness.response(answer("Cleaning.", rm())));

    assertThat(Completions.toolCalls(out)).isEmpty();
    assertThat(Completions.text(out))
        .isEqualTo(
            "Cleaning.\n\n⛔ BLOCKED: Tool call 'Bash' with arguments {\"command\":\"rm -rf /\"}"
                + " rejected (probability 0.90). Explanation: deletes files");
    assertThat(Completions.finishReason(out)).isEqualTo("stop");
    assertThat(harness.context().events())
        .extracting(LocalPolicyContext.Event::type)
        .contains("policy.anthropic_judge.tool_call_blocked");
  }

  @Test
  @DisplayName("the threshold is inclusive, and the template's placeholders are filled in")
  void thresholdAndTemplate() {
    FakeJudge judge = FakeJudge.answering("{\"probability\": 0.5}");
    ToolCallJudgePolicy policy =
        policy(
            config()
                .put("probability_threshold", 0.5)
                .put(
                    "blocked_message_template",
                    "no {tool_name} ({probability}): {explanation} / {tool_arguments}"));

    JsonObject out = await(harness(policy, judge, false).response(answer(null, rm())));

    assertThat(Completions.text(out))
        .isEqualTo("no Bash (0.5): No explanation provided / {\"command\":\"rm -rf /\"}");
  }

  @Test
  @DisplayName("fails closed: garbage, an error or silence blocks the call and an event says why")
  void failsClosed() {
    for (FakeJudge judge :
        List.of(
            FakeJudge.answering("looks safe to me"),
            FakeJudge.failing(new IllegalStateException("no route")),
            FakeJudge.silent())) {
      PolicyHarness harness = harness(policy(config().put("timeout", 0.1)), judge, false);

      JsonObject out = await(harness.response(answer(null, rm())));

      assertThat(Completions.toolCalls(out)).isEmpty();
      assertThat(Completions.text(out))
          .startsWith("⛔ BLOCKED: Tool call 'Bash'")
          .contains("(probability 1.00). Explanation: Judge evaluation failed: ");
      LocalPolicyContext.Event failed =
          harness.context().events().stream()
              .filter(event -> event.type().equals("policy.anthropic_judge.evaluation_failed"))
              .findFirst()
              .orElseThrow();
      assertThat(failed.data().getString("action_taken")).isEqualTo("blocked");
      assertThat(failed.data().getString("error")).isNotBlank();
    }
  }

  @Test
  @DisplayName(
      "parallel tool calls are judged concurrently: two slow judges take one delay, not two")
  void concurrent() {
    FakeJudge judge = FakeJudge.slow(vertx, 300, SAFE);
    long started = System.nanoTime();

    JsonObject out =
        await(
            harness(policy(config().put("timeout", 2.0)), judge, false)
                .response(
                    answer(
                        null,
                        toolCall("call_1", "Read", "{\"path\":\"a\"}"),
                        toolCall("call_2", "Read", "{\"path\":\"b\"}"))));

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(Completions.toolCalls(out)).hasSize(2);
    assertThat(judge.requests()).hasSize(2);
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofMillis(550));
  }

  @Test
  @DisplayName(
      "in a stream a risky call is held until complete and replaced by the blocked message")
  void streamed() {
    FakeJudge judge = FakeJudge.answeringBy(prompt -> prompt.contains("rm -rf") ? RISKY : SAFE);

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config()), judge, true).stream(
                List.of(
                    toolStart(0, "call_1", "Read"),
                    toolArguments(0, "{\"path\":\"a\"}"),
                    toolStart(1, "call_2", "Bash"),
                    toolArguments(1, "{\"command\":"),
                    toolArguments(1, "\"rm -rf /\"}"),
                    finish("tool_calls"))));

    assertThat(streamedCalls(result.chunks()))
        .extracting(io.luthien.canonical.ToolCallDelta::name)
        .containsExactly("Read");
    assertThat(streamedText(result.chunks())).contains("⛔ BLOCKED: Tool call 'Bash'");
    assertThat(finishReasons(result.chunks())).containsExactly("tool_calls");
  }

  @Test
  @DisplayName("hookTimeout covers the judge's budget")
  void hookTimeout() {
    assertThat(policy(config().put("timeout", 1.5)).hookTimeout())
        .isEqualTo(Duration.ofMillis(1_500).plusSeconds(2));
    assertThat(policy(new JsonObject()).threshold()).isEqualTo(0.6);
  }

  @Test
  @DisplayName("config errors name the policy and the key")
  void configErrors() {
    assertThatThrownBy(() -> policy(config().put("probability_threshold", 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ToolCallJudgePolicy")
        .hasMessageContaining("'probability_threshold'");
    assertThatThrownBy(() -> policy(config().put("probability_threshold", "high")))
        .hasMessageContaining("'probability_threshold'");
    assertThatThrownBy(() -> policy(config().put("max_tokens", "many")))
        .hasMessageContaining("'max_tokens'");
    assertThatThrownBy(() -> policy(config().put("model", ""))).hasMessageContaining("'model'");
    assertThatThrownBy(() -> policy(config().put("blocked_message_template", "{tool}")))
        .hasMessageContaining("'blocked_message_template'");
    assertThatThrownBy(() -> policy(config().put("on_error", "pass")))
        .hasMessageContaining("'on_error'");
  }
}
