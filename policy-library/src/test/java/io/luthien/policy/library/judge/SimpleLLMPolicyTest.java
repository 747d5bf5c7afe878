package io.luthien.policy.library.judge;

import static io.luthien.policy.library.judge.FakeJudge.answer;
import static io.luthien.policy.library.judge.FakeJudge.await;
import static io.luthien.policy.library.judge.FakeJudge.request;
import static io.luthien.policy.library.judge.FakeJudge.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SimpleLLMPolicy on whole answers")
class SimpleLLMPolicyTest {

  private static final String PASS = "{\"action\": \"pass\"}";

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  static SimpleLLMPolicy policy(JsonObject config) {
    return new SimpleLLMPolicy(new PolicyConfig("SimpleLLMPolicy", config));
  }

  static JsonObject config() {
    return new JsonObject()
        .put("model", "judge-model")
        .put("instructions", "Remove any PII")
        .put("timeout", 0.3)
        .put("max_retries", 0);
  }

  private PolicyHarness harness(SimpleLLMPolicy policy, FakeJudge judge) {
    return new PolicyHarness(policy, request(false), vertx, judge);
  }

  @Test
  @DisplayName("a judge that passes every block leaves the answer as it was")
  void passes() {
    FakeJudge judge = FakeJudge.answering(PASS);
    JsonObject original = answer("hello", toolCall("call_1", "Bash", "{\"command\":\"ls\"}"));

    JsonObject out = await(harness(policy(config()), judge).response(original));

    assertThat(out).isEqualTo(original);
    assertThat(judge.requests()).hasSize(2);
  }

  @Test
  @DisplayName(
      "the judge gets luthien-proxy's request: model, system and user messages, temperature, max_tokens, JSON response format")
  void requestShape() {
    FakeJudge judge = FakeJudge.answering(PASS);

    await(harness(policy(config()), judge).response(answer("My name is Ann")));

    JsonObject sent = judge.requests().get(0);
    assertThat(sent.fieldNames())
        .containsExactlyInAnyOrder(
            "model", "messages", "temperature", "max_tokens", "response_format");
    assertThat(sent.getString("model")).isEqualTo("judge-model");
    assertThat(sent.getDouble("temperature")).isEqualTo(0.0);
    assertThat(sent.getLong("max_tokens")).isEqualTo(4096);
    assertThat(sent.getJsonObject("response_format"))
        .isEqualTo(new JsonObject().put("type", "json_object"));
    JsonArray messages = sent.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(messages.getJsonObject(0).getString("content"))
        .isEqualTo(
            JudgeParsingTest.LUTHIEN_SYSTEM_PROMPT.replace("{instructions}", "Remove any PII"));
    assertThat(messages.getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("role", "user")
                .put("content", "Current block to evaluate (text):\nMy name is Ann"));
  }

  @Test
  @DisplayName(
      "a tool call is shown as name(arguments) after the blocks before it, as luthien-proxy shows it")
  void toolCallPrompt() {
    FakeJudge judge = FakeJudge.answering(PASS);

    await(
        harness(policy(config()), judge)
            .response(answer("Listing.", toolCall("call_1", "Bash", "{\"command\":\"ls é\"}"))));

    assertThat(judge.requests()).hasSize(2);
    assertThat(List.of(judge.prompt(0), judge.prompt(1)))
        .contains(
            """
            Previous blocks in this response:
              [1] (text) Listing.

            Current block to evaluate (tool_use):
            Bash({"command": "ls \\u00e9"})""");
  }

  @Test
  @DisplayName("a replaced text block goes out as the judge's text")
  void replacesText() {
    FakeJudge judge =
        FakeJudge.answering(
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"My name is [REDACTED]\"}]}");

    JsonObject out = await(harness(policy(config()), judge).response(answer("My name is Ann")));

    assertThat(Completions.text(out)).isEqualTo("My name is [REDACTED]");
    assertThat(Completions.finishReason(out)).isEqualTo("stop");
  }

  @Test
  @DisplayName(
      "a tool call the judge replaces with text is gone, and the finish reason becomes stop")
  void replacesToolCallWithText() {
    FakeJudge judge =
        FakeJudge.answeringBy(
            prompt ->
                prompt.contains("(tool_use)")
                    ? "```json\n{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"[BLOCKED] rm -rf\"}]}\n```"
                    : PASS);
    PolicyHarness harness = harness(policy(config()), judge);

    JsonObject out =
        await(
            harness.response(
                answer("Cleaning up.", toolCall("call_1", "Bash", "{\"command\":\"rm -rf /\"}"))));

    assertThat(Completions.text(out)).isEqualTo("Cleaning up.\n\n[BLOCKED] rm -rf");
    assertThat(Completions.toolCalls(out)).isEmpty();
    assertThat(Completions.finishReason(out)).isEqualTo("stop");
    assertThat(harness.context().events())
        .extracting(LocalPolicyContext.Event::type)
        .containsOnly("policy.simple_llm.judge_result");
  }

  @Test
  @DisplayName(
      "a text block the judge replaces with a tool call becomes a tool call with a fresh id")
  void replacesTextWithToolCall() {
    FakeJudge judge =
        FakeJudge.answering(
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"Running it.\"},"
                + " {\"type\": \"tool_use\", \"name\": \"Bash\", \"input\": {\"command\": \"uv pip install x\"}}]}");

    JsonObject out = await(harness(policy(config()), judge).response(answer("pip install x")));

    assertThat(Completions.text(out)).isEqualTo("Running it.");
    List<ToolCall> calls = Completions.toolCalls(out);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).name()).isEqualTo("Bash");
    assertThat(calls.get(0).id()).startsWith("call_").hasSize(29);
    assertThat(calls.get(0).parsedArguments())
        .isEqualTo(new JsonObject().put("command", "uv pip install x"));
  }

  @Test
  @DisplayName(
      "on_error pass: a garbage answer keeps the block, adds luthien-proxy's warning and says why in an event")
  void garbageFailsOpen() {
    FakeJudge judge = FakeJudge.answering("Sure! The block looks fine to me.");
    PolicyHarness harness = harness(policy(config()), judge);

    JsonObject out = await(harness.response(answer("hello")));

    assertThat(Completions.text(out))
        .isEqualTo("hello\n\n" + JudgedMessage.JUDGE_UNAVAILABLE_WARNING);
    LocalPolicyContext.Event event = harness.context().events().get(0);
    assertThat(event.type()).isEqualTo("policy.simple_llm.judge_error");
    assertThat(event.data().getString("on_error")).isEqualTo("pass");
    assertThat(event.data().getString("error")).contains("JSON parsing failed");
  }

  @Test
  @DisplayName(
      "on_error block: a judge that errs drops the text and the answer says it was blocked")
  void errorFailsClosed() {
    FakeJudge judge = FakeJudge.failing(new IllegalStateException("connection refused"));
    PolicyHarness harness = harness(policy(config().put("on_error", "block")), judge);

    JsonObject out = await(harness.response(answer("secret text")));

    assertThat(Completions.text(out)).isEqualTo(JudgedMessage.JUDGE_ERROR_BLOCKED_MESSAGE);
    assertThat(harness.context().events().get(0).data().getString("error"))
        .contains("connection refused");
  }

  @Test
  @DisplayName(
      "on_error block: a tool call whose judge failed is dropped and named in luthien-proxy's marker")
  void failedToolCallMarker() {
    FakeJudge judge =
        FakeJudge.answeringBy(prompt -> prompt.contains("(tool_use)") ? "not json" : PASS);

    JsonObject out =
        await(
            harness(policy(config().put("on_error", "block")), judge)
                .response(answer("Let me look.", toolCall("call_1", "Read", "{}"))));

    assertThat(Completions.text(out))
        .isEqualTo("Let me look.\n\n[Tool call `Read` blocked: policy evaluation unavailable]");
    assertThat(Completions.toolCalls(out)).isEmpty();
    assertThat(Completions.finishReason(out)).isEqualTo("stop");
  }

  @Test
  @DisplayName(
      "a judge that never answers is cut off at the timeout and on_error decides; the answer never hangs")
  void silentJudgeTimesOut() {
    FakeJudge judge = FakeJudge.silent();
    PolicyHarness harness = harness(policy(config().put("timeout", 0.2)), judge);
    long started = System.nanoTime();

    JsonObject out = await(harness.response(answer("hello")));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(Completions.text(out)).endsWith(JudgedMessage.JUDGE_UNAVAILABLE_WARNING);
    assertThat(harness.context().events().get(0).data().getString("error"))
        .contains("did not answer within 200 ms");
  }

  @Test
  @DisplayName("a slow judge past its timeout fails closed with on_error block")
  void slowJudgeFailsClosed() {
    FakeJudge judge = FakeJudge.slow(vertx, 1_000, PASS);

    JsonObject out =
        await(
            harness(policy(config().put("timeout", 0.1).put("on_error", "block")), judge)
                .response(answer("hello")));

    assertThat(Completions.text(out)).isEqualTo(JudgedMessage.JUDGE_ERROR_BLOCKED_MESSAGE);
  }

  @Test
  @DisplayName("a slow judge within its timeout is waited for")
  void slowJudgeWithinTimeout() {
    FakeJudge judge =
        FakeJudge.slow(
            vertx,
            50,
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"bye\"}]}");

    JsonObject out =
        await(harness(policy(config().put("timeout", 1.0)), judge).response(answer("hello")));

    assertThat(Completions.text(out)).isEqualTo("bye");
  }

  @Test
  @DisplayName(
      "garbage is asked again, as luthien-proxy retries unreadable answers, each attempt a call of its own")
  void retriesGarbage() {
    FakeJudge judge =
        FakeJudge.answeringInTurn(
            "{\"action\": \"maybe\"}",
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \"fixed\"}]}");

    JsonObject out =
        await(
            harness(policy(config().put("max_retries", 2).put("retry_delay", 0.01)), judge)
                .response(answer("hello")));

    assertThat(Completions.text(out)).isEqualTo("fixed");
    assertThat(judge.requests()).hasSize(2);
    assertThat(judge.options())
        .allSatisfy(
            options -> {
              assertThat(options.maxRetries()).isZero();
              assertThat(options.timeout()).isEqualTo(Duration.ofMillis(300));
            });
  }

  @Test
  @DisplayName("a 4xx from the gateway is not asked again")
  void noRetryOnRefusal() {
    FakeJudge judge =
        FakeJudge.failing(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 401, "bad key"));

    await(
        harness(policy(config().put("max_retries", 3).put("retry_delay", 0.01)), judge)
            .response(answer("hello")));

    assertThat(judge.requests()).hasSize(1);
  }

  @Test
  @DisplayName("hookTimeout is the whole retry budget plus a margin")
  void hookTimeout() {
    SimpleLLMPolicy policy =
        policy(config().put("timeout", 2.0).put("max_retries", 2).put("retry_delay", 0.5));

    assertThat(policy.hookTimeout()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  @DisplayName(
      "luthien-proxy's defaults: claude-haiku-4-5, on_error pass, 2 retries 0.5 s apart, max_tokens 4096")
  void defaults() {
    SimpleLLMPolicy policy =
        policy(new JsonObject().put("instructions", "x").put("auth_provider", "user_credentials"));

    assertThat(policy.judgeModel()).isEqualTo("claude-haiku-4-5");
    assertThat(policy.blocksOnError()).isFalse();
    assertThat(policy.hookTimeout()).isEqualTo(Duration.ofSeconds(93));
  }

  @Test
  @DisplayName("config errors name the policy and the key")
  void configErrors() {
    assertThatThrownBy(() -> policy(new JsonObject().put("model", "m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SimpleLLMPolicy")
        .hasMessageContaining("'instructions'");
    assertThatThrownBy(() -> policy(config().put("model", ""))).hasMessageContaining("'model'");
    assertThatThrownBy(() -> policy(config().put("model", 7))).hasMessageContaining("'model'");
    assertThatThrownBy(() -> policy(config().put("on_error", "ignore")))
        .hasMessageContaining("'on_error'");
    assertThatThrownBy(() -> policy(config().put("temperature", "hot")))
        .hasMessageContaining("'temperature'");
    assertThatThrownBy(() -> policy(config().put("max_retries", 1.5)))
        .hasMessageContaining("'max_retries'");
    assertThatThrownBy(() -> policy(config().put("retry_delay", -1)))
        .hasMessageContaining("'retry_delay'");
    assertThatThrownBy(() -> policy(config().put("instruction", "typo")))
        .hasMessageContaining("SimpleLLMPolicy")
        .hasMessageContaining("'instruction'");
  }
}
