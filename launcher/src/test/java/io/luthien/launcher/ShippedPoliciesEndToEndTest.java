package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.ClientOutcome.Api;
import io.luthien.launcher.ScriptedUpstream.Answer;
import io.luthien.launcher.ScriptedUpstream.Call;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
        assertThat(blocked.text()).as(way).startsWith("Cleaning.").contains("deletes the whole system");
        assertThat(blocked.stop()).as(way).isEqualTo(api == Api.OPENAI ? "stop" : "end_turn");

        ClientOutcome passed = call(api, stream, "list files");
        assertThat(passed.toolCalls()).as(way).hasSize(1);
        assertThat(ClientOutcome.arguments(passed.toolCalls().get(0)).getString("command"))
            .isEqualTo("ls -la");
        assertThat(passed.stop()).as(way).isEqualTo(api == Api.OPENAI ? "tool_calls" : "tool_use");
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

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }

  @SuppressWarnings("unused")
  private static JsonObject unused() {
    return new JsonObject();
  }
}
