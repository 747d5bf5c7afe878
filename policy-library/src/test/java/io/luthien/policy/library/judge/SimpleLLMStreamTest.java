package io.luthien.policy.library.judge;

import static io.luthien.policy.library.judge.FakeJudge.await;
import static io.luthien.policy.library.judge.FakeJudge.finish;
import static io.luthien.policy.library.judge.FakeJudge.finishReasons;
import static io.luthien.policy.library.judge.FakeJudge.request;
import static io.luthien.policy.library.judge.FakeJudge.roleChunk;
import static io.luthien.policy.library.judge.FakeJudge.streamedCalls;
import static io.luthien.policy.library.judge.FakeJudge.streamedText;
import static io.luthien.policy.library.judge.FakeJudge.textChunk;
import static io.luthien.policy.library.judge.FakeJudge.toolArguments;
import static io.luthien.policy.library.judge.FakeJudge.toolStart;
import static io.luthien.policy.library.judge.SimpleLLMPolicyTest.config;
import static io.luthien.policy.library.judge.SimpleLLMPolicyTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Chunks;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.canonical.Usage;
import io.luthien.policy.api.ChunkVerdict;
import io.luthien.policy.api.PolicyHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SimpleLLMPolicy on streams")
class SimpleLLMStreamTest {

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

  private PolicyHarness harness(SimpleLLMPolicy policy, FakeJudge judge) {
    return new PolicyHarness(policy, request(true), vertx, judge);
  }

  private static String replaceWith(String text) {
    return "{\"action\": \"replace\", \"blocks\": [{\"type\": \"text\", \"text\": \""
        + text
        + "\"}]}";
  }

  @Test
  @DisplayName(
      "text is held until it ends and goes out as the judge rewrote it; the role goes at once")
  void textHeldAndReplaced() {
    FakeJudge judge = FakeJudge.answering(replaceWith("My name is [REDACTED]"));
    SimpleLLMPolicy policy = policy(config());
    PolicyHarness harness = harness(policy, judge);

    ChunkVerdict first = await(policy.onChunk(roleChunk(), harness.context()));
    ChunkVerdict second = await(policy.onChunk(textChunk("My name "), harness.context()));

    assertThat(first.kind()).isEqualTo(ChunkVerdict.Kind.EMIT);
    assertThat(Chunks.role(first.chunks().get(0))).isEqualTo("assistant");
    assertThat(streamedText(first.chunks())).isEmpty();
    assertThat(second.chunks()).isEmpty();
    assertThat(judge.requests()).isEmpty();

    PolicyHarness.StreamResult rest =
        await(
            harness(policy(config()), judge).stream(
                List.of(roleChunk(), textChunk("My name "), textChunk("is Ann"), finish("stop"))));

    assertThat(streamedText(rest.chunks())).isEqualTo("My name is [REDACTED]");
    assertThat(finishReasons(rest.chunks())).containsExactly("stop");
    assertThat(judge.prompt(judge.requests().size() - 1))
        .isEqualTo("Current block to evaluate (text):\nMy name is Ann");
  }

  @Test
  @DisplayName(
      "the text is judged when a tool call starts; a tool call replaced with text is gone and the finish is stop")
  void textThenToolCall() {
    FakeJudge judge =
        FakeJudge.answeringBy(
            prompt -> prompt.contains("(tool_use)") ? replaceWith("[BLOCKED] rm -rf /") : PASS);

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config()), judge).stream(
                List.of(
                    roleChunk(),
                    textChunk("Let me clean up."),
                    toolStart(0, "call_1", "Bash"),
                    toolArguments(0, "{\"command\":"),
                    toolArguments(0, "\"rm -rf /\"}"),
                    finish("tool_calls"))));

    assertThat(streamedText(result.chunks())).isEqualTo("Let me clean up.\n\n[BLOCKED] rm -rf /");
    assertThat(streamedCalls(result.chunks())).isEmpty();
    assertThat(finishReasons(result.chunks())).containsExactly("stop");
    assertThat(judge.prompt(0)).isEqualTo("Current block to evaluate (text):\nLet me clean up.");
    assertThat(judge.prompt(1))
        .isEqualTo(
            "Previous blocks in this response:\n  [1] (text) Let me clean up.\n\n"
                + "Current block to evaluate (tool_use):\nBash({\"command\": \"rm -rf /\"})");
  }

  @Test
  @DisplayName("a passed tool call goes out whole, after the text, and the finish stays tool_calls")
  void toolCallPasses() {
    FakeJudge judge = FakeJudge.answering(PASS);

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config()), judge).stream(
                List.of(
                    roleChunk(),
                    toolStart(0, "call_1", "Read"),
                    toolArguments(0, "{\"path\":"),
                    toolArguments(0, "\"a.txt\"}"),
                    finish("tool_calls"))));

    List<ToolCallDelta> calls = streamedCalls(result.chunks());
    assertThat(calls)
        .containsExactly(new ToolCallDelta(0, "call_1", "Read", "{\"path\":\"a.txt\"}"));
    assertThat(finishReasons(result.chunks())).containsExactly("tool_calls");
    assertThat(
            result
                .chunks()
                .get(result.chunks().size() - 1)
                .getJsonArray("choices")
                .getJsonObject(0)
                .getString("finish_reason"))
        .isEqualTo("tool_calls");
  }

  @Test
  @DisplayName(
      "the tool calls of a turn are judged together: two slow judges take one delay, not two")
  void toolCallsConcurrent() {
    FakeJudge judge = FakeJudge.slow(vertx, 300, PASS);
    long started = System.nanoTime();

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config().put("timeout", 2.0)), judge).stream(
                List.of(
                    toolStart(0, "call_1", "Read"),
                    toolArguments(0, "{}"),
                    toolStart(1, "call_2", "Read"),
                    toolArguments(1, "{}"),
                    finish("tool_calls"))));

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(streamedCalls(result.chunks())).hasSize(2);
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofMillis(550));
  }

  @Test
  @DisplayName(
      "on_error block: a judge that never answers drops the text, and the stream says it was blocked")
  void silentJudgeFailsClosed() {
    FakeJudge judge = FakeJudge.silent();
    PolicyHarness harness =
        harness(policy(config().put("timeout", 0.1).put("on_error", "block")), judge);

    PolicyHarness.StreamResult result =
        await(harness.stream(List.of(roleChunk(), textChunk("secret"), finish("stop"))));

    assertThat(streamedText(result.chunks())).isEqualTo(JudgedMessage.JUDGE_ERROR_BLOCKED_MESSAGE);
    assertThat(finishReasons(result.chunks())).containsExactly("stop");
    assertThat(harness.context().events().get(0).type()).isEqualTo("policy.simple_llm.judge_error");
  }

  @Test
  @DisplayName("on_error pass: a judge that errs lets the text through with the warning")
  void erringJudgeFailsOpen() {
    FakeJudge judge = FakeJudge.failing(new IllegalStateException("boom"));

    PolicyHarness.StreamResult result =
        await(harness(policy(config()), judge).stream(List.of(textChunk("hello"), finish("stop"))));

    assertThat(streamedText(result.chunks()))
        .isEqualTo("hello\n\n" + JudgedMessage.JUDGE_UNAVAILABLE_WARNING);
  }

  @Test
  @DisplayName("a text block replaced with a tool call streams the tool call whole")
  void textBecomesToolCall() {
    FakeJudge judge =
        FakeJudge.answering(
            "{\"action\": \"replace\", \"blocks\": [{\"type\": \"tool_use\", \"name\": \"Bash\","
                + " \"input\": {\"command\": \"uv pip list\"}}]}");

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config()), judge).stream(
                List.of(textChunk("pip list"), finish("stop"))));

    assertThat(streamedText(result.chunks())).isEmpty();
    List<ToolCallDelta> calls = streamedCalls(result.chunks());
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).name()).isEqualTo("Bash");
    assertThat(new JsonObject(calls.get(0).arguments()).getString("command"))
        .isEqualTo("uv pip list");
  }

  @Test
  @DisplayName("a stream that ends without a finish reason still has its held text judged and sent")
  void streamEndsWithoutFinish() {
    FakeJudge judge = FakeJudge.answering(replaceWith("short"));

    PolicyHarness.StreamResult result =
        await(
            harness(policy(config()), judge).stream(
                List.of(textChunk("long "), textChunk("text"))));

    assertThat(streamedText(result.chunks())).isEqualTo("short");
    assertThat(result.endedByPolicy()).isFalse();
  }

  @Test
  @DisplayName("the usage goes out with the last chunk, after the judged text")
  void usageKept() {
    FakeJudge judge = FakeJudge.answering(PASS);
    JsonObject last = finish("stop").put("usage", Usage.of(3, 4).toJson());

    PolicyHarness.StreamResult result =
        await(harness(policy(config()), judge).stream(List.of(textChunk("hi"), last)));

    JsonObject lastOut = result.chunks().get(result.chunks().size() - 1);
    assertThat(Chunks.usage(lastOut)).isNotNull();
    assertThat(streamedText(result.chunks())).isEqualTo("hi");
  }
}
