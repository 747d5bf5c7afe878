package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.ClientOutcome.Api;
import io.luthien.launcher.ScriptedUpstream.Answer;
import io.luthien.launcher.ScriptedUpstream.Call;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policies through a running all-in-one node, each with the policy file a user would
 * write, through both client APIs, whole and streamed (answers streamed in pieces of three
 * characters, so every match crosses chunk borders).
 */
class ShippedPoliciesEndToEndTest {

  private static final String MODEL = "gpt-4o-mini";

  @TempDir Path dir;
  private final List<Vertx> started = new ArrayList<>();
  private Vertx clientVertx;
  private WebClient client;
  private ScriptedUpstream upstream;
  private int port;

  @BeforeEach
  void upstream() {
    clientVertx = track(Vertx.vertx());
    client = WebClient.create(clientVertx);
    upstream = await(ScriptedUpstream.start(clientVertx));
  }

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
  }

  @Test
  @DisplayName(
      "StringReplacementPolicy, named the luthien-proxy way, replaces across chunk borders with the match's capitalization")
  void stringReplacement() throws Exception {
    start(
        """
        policy:
          class: luthien_proxy.policies.string_replacement_policy:StringReplacementPolicy
          config:
            replacements: [["cool", "radical"], ["Anthropic", "ACME"]]
            match_capitalization: true
        """);
    upstream.answerAlways(Answer.text("Cool news from anthropic: COOL models."));

    everyWay(
        outcome -> assertThat(outcome.text()).isEqualTo("Radical news from acme: RADICAL models."));
  }

  @Test
  @DisplayName(
      "RegexRedactionPolicy redacts secrets in the answer's text and tool-call arguments, and in the request before it goes upstream")
  void regexRedaction() throws Exception {
    start(
        """
        policy:
          class: RegexRedactionPolicy
          config:
            presets: [secrets, pii]
        """);
    String key = "sk-ant-api03-" + "a".repeat(40);
    upstream.answerAlways(
        Answer.text("Your key is " + key + " and mail bob@example.com.")
            .withToolCalls(new Call("Bash", "{\"command\":\"export KEY=" + key + "\"}")));

    everyWay(
        outcome -> {
          assertThat(outcome.text())
              .doesNotContain("sk-ant")
              .contains("[REDACTED:")
              .doesNotContain("bob@example.com");
          assertThat(outcome.toolCalls()).hasSize(1);
          assertThat(ClientOutcome.arguments(outcome.toolCalls().get(0)).getString("command"))
              .startsWith("export KEY=[REDACTED:")
              .doesNotContain("sk-ant");
        });
    assertThat(upstream.requests()).isNotEmpty();
    upstream.requests().clear();
    call(Api.OPENAI, false, "my card is 4111 1111 1111 1111");
    assertThat(upstream.requests().get(0).encode())
        .doesNotContain("4111 1111 1111 1111")
        .contains("[REDACTED:");
  }

  @Test
  @DisplayName(
      "AllCapsPolicy and DebugLoggingPolicy in a chain: upper-cased, and the debug events recorded")
  void allCapsAndDebugLogging() throws Exception {
    start(
        """
        policy:
          class: MultiSerialPolicy
          config:
            policies:
              - {class: DebugLoggingPolicy, config: {}}
              - {class: AllCapsPolicy, config: {}}
        """);
    upstream.answerAlways(Answer.text("quiet words"));

    everyWay(outcome -> assertThat(outcome.text()).isEqualTo("QUIET WORDS"));
  }

  @Test
  @DisplayName(
      "ToolCallGuardPolicy replaces a dangerous Bash call with text and stops the turn (stop / end_turn); a safe call passes")
  void toolCallGuard() throws Exception {
    start(
        """
        policy:
          class: ToolCallGuardPolicy
          config:
            preset: dangerous_commands
        """);
    upstream.answer(
        request ->
            request.encode().contains("clean up")
                ? Answer.text("Cleaning.")
                    .withToolCalls(new Call("Bash", "{\"command\":\"rm -rf /\"}"))
                : Answer.text("Listing.")
                    .withToolCalls(new Call("Bash", "{\"command\":\"ls -la\"}")));

    for (Api api : Api.values()) {
      for (boolean stream : new boolean[] {false, true}) {
        String way = api + " stream=" + stream;
        ClientOutcome blocked = call(api, stream, "clean up");
        assertThat(blocked.toolCalls()).as(way).isEmpty();
        assertThat(blocked.text())
            .as(way)
            .startsWith("Cleaning.")
            .contains("deletes the whole system");
        assertThat(blocked.stop()).as(way).isEqualTo(api == Api.OPENAI ? "stop" : "end_turn");

        ClientOutcome passed = call(api, stream, "list files");
        assertThat(passed.toolCalls()).as(way).hasSize(1);
        assertThat(ClientOutcome.arguments(passed.toolCalls().get(0)).getString("command"))
            .isEqualTo("ls -la");
        assertThat(passed.stop()).as(way).isEqualTo(api == Api.OPENAI ? "tool_calls" : "tool_use");
      }
    }
  }

  @Test
  @DisplayName(
      "SimpleLLMPolicy asks its judge model through the gateway's routes and the judge's replacement reaches every client")
  void simpleLlmJudge() throws Exception {
    start(
        """
        policy:
          class: luthien_proxy.policies.simple_llm_policy:SimpleLLMPolicy
          config:
            model: judge-model
            instructions: "Replace anything about the weather."
            on_error: block
        """);
    upstream.answer(
        request ->
            "judge-model".equals(request.getString("model"))
                ? Answer.text(
                    "{\"action\":\"replace\",\"blocks\":[{\"type\":\"text\",\"text\":\"[the judge removed this]\"}]}")
                : Answer.text("It will rain tomorrow."));

    everyWay(outcome -> assertThat(outcome.text()).isEqualTo("[the judge removed this]"));
    assertThat(upstream.requests())
        .filteredOn(request -> "judge-model".equals(request.getString("model")))
        .hasSize(4)
        .allSatisfy(
            judged ->
                assertThat(judged.encode()).contains("It will rain tomorrow.").contains("weather"));
  }

  @Test
  @DisplayName(
      "SimpleLLMPolicy with a judge that answers garbage: on_error block replaces the answer, on_error pass keeps it")
  void judgeAnswersGarbage() throws Exception {
    upstream.answer(
        request ->
            "judge-model".equals(request.getString("model"))
                ? Answer.text("I am not JSON")
                : Answer.text("It will rain tomorrow."));
    start(
        """
        policy:
          class: SimpleLLMPolicy
          config: {model: judge-model, instructions: "Judge.", on_error: block, max_retries: 0}
        """);
    everyWay(outcome -> assertThat(outcome.text()).doesNotContain("rain").isNotBlank());
    stopNode();
    start(
        """
        policy:
          class: SimpleLLMPolicy
          config: {model: judge-model, instructions: "Judge.", on_error: pass, max_retries: 0}
        """);
    everyWay(outcome -> assertThat(outcome.text()).startsWith("It will rain tomorrow."));
  }

  @Test
  @DisplayName(
      "ToolCallJudgePolicy: a call the judge rates risky is replaced by the blocked message and the turn stops")
  void toolCallJudge() throws Exception {
    start(
        """
        policy:
          class: luthien_proxy.policies.tool_call_judge_policy:ToolCallJudgePolicy
          config:
            model: judge-model
            probability_threshold: 0.6
        """);
    upstream.answer(
        request ->
            "judge-model".equals(request.getString("model"))
                ? Answer.text("{\"probability\": 0.93, \"explanation\": \"wipes the disk\"}")
                : Answer.text("Sure.")
                    .withToolCalls(new Call("Bash", "{\"command\":\"dd of=/dev/sda\"}")));

    for (Api api : Api.values()) {
      for (boolean stream : new boolean[] {false, true}) {
        String way = api + " stream=" + stream;
        ClientOutcome outcome = call(api, stream, "do it");
        assertThat(outcome.status()).as(way).isEqualTo(200);
        assertThat(outcome.toolCalls()).as(way).isEmpty();
        assertThat(outcome.text()).as(way).contains("wipes the disk");
        assertThat(outcome.stop()).as(way).isEqualTo(api == Api.OPENAI ? "stop" : "end_turn");
      }
    }
  }

  /** Each of the four ways a client calls: both APIs, whole and streamed. */
  private void everyWay(Consumer<ClientOutcome> check) {
    for (Api api : Api.values()) {
      for (boolean stream : new boolean[] {false, true}) {
        ClientOutcome outcome = call(api, stream, "hello");
        assertThat(outcome.status())
            .as("%s stream=%s: %s", api, stream, outcome.text())
            .isEqualTo(200);
        try {
          check.accept(outcome);
        } catch (AssertionError e) {
          throw new AssertionError(api + " stream=" + stream + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private ClientOutcome call(Api api, boolean stream, String text) {
    HttpResponse<Buffer> response =
        await(
            client
                .post(port, "127.0.0.1", api.path)
                .putHeader("anthropic-version", "2023-06-01")
                .sendJsonObject(api.request(MODEL, text, stream)));
    return ClientOutcome.read(api, stream, response);
  }

  private void start(String policyYaml) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policyYaml);
    port = NodeFixture.freePort();
    Map<String, String> env =
        NodeFixture.env(
            "GATEWAY_PORT",
            port,
            "DEBUG_PORT",
            NodeFixture.freePort(),
            "OPENAI_BASE_URL",
            upstream.baseUrl(),
            "DATABASE_URL",
            LocalServices.POSTGRES_URL,
            "POLICY_CONFIG",
            file);
    track(NodeFixture.startNode(List.of(), env));
  }

  private void stopNode() {
    Vertx node = started.remove(started.size() - 1);
    await(node.close());
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }
}
