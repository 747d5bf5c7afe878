package io.luthien.policy.library;

import static io.luthien.policy.library.ToolCalls.answer;
import static io.luthien.policy.library.ToolCalls.bash;
import static io.luthien.policy.library.ToolCalls.call;
import static io.luthien.policy.library.ToolCalls.config;
import static io.luthien.policy.library.ToolCalls.done;
import static io.luthien.policy.library.ToolCalls.request;
import static io.luthien.policy.library.ToolCalls.stream;
import static io.luthien.policy.library.ToolCalls.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.ChunkAccumulator;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.Policy;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyHarness;
import io.luthien.policy.api.ToolCallVerdict;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** luthien-proxy's DogfoodSafetyPolicy cases, run against this one. */
class DogfoodSafetyPolicyTest {

  private static final DogfoodSafetyPolicy DEFAULTS = dogfood("{}");

  private static DogfoodSafetyPolicy dogfood(String json) {
    return new DogfoodSafetyPolicy(config("DogfoodSafetyPolicy", json));
  }

  private static boolean blocked(DogfoodSafetyPolicy policy, ToolCall call) {
    return verdict(policy, call).kind() != ToolCallVerdict.Kind.PASS;
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("the default patterns block commands that take the gateway down")
  @ValueSource(
      strings = {
        "docker compose down",
        "docker compose stop",
        "docker compose rm",
        "docker compose kill",
        "docker-compose down",
        "docker stop gateway",
        "docker kill gateway",
        "docker rm gateway",
        "pkill uvicorn",
        "killall python",
        "rm -rf .env",
        "rm docker-compose.yaml",
        "rm -f src/luthien_proxy/main.py",
        "docker compose exec db psql -c DROP TABLE",
        "docker compose exec db psql -c TRUNCATE events",
        "DOCKER COMPOSE DOWN",
      })
  void blocksDangerous(String command) {
    assertThat(blocked(DEFAULTS, bash(command))).as(command).isTrue();
  }

  @ParameterizedTest(name = "[{0}]")
  @DisplayName("everyday commands pass")
  @ValueSource(
      strings = {
        "echo hello",
        "ls -la",
        "python main.py",
        "git status",
        "docker ps",
        "docker logs gateway",
        "cat .env",
        "rm tempfile.txt",
        "pip install requests",
        "",
      })
  void allowsSafe(String command) {
    assertThat(blocked(DEFAULTS, bash(command))).as(command).isFalse();
  }

  @Test
  @DisplayName("only the shell tools are read, their names compared without case")
  void toolNames() {
    JsonObject down = new JsonObject().put("command", "docker compose down");
    assertThat(blocked(DEFAULTS, call("Read", down))).isFalse();
    assertThat(blocked(DEFAULTS, call("bash", down))).isTrue();
    assertThat(blocked(DEFAULTS, call("RUN_COMMAND", down))).isTrue();
    DogfoodSafetyPolicy custom = dogfood("{\"tool_names\": [\"my_tool\"]}");
    assertThat(blocked(custom, call("my_tool", down))).isTrue();
    assertThat(blocked(custom, call("Bash", down))).isFalse();
  }

  @Test
  @DisplayName("blocked_patterns replace the defaults; Python's named groups are understood")
  void customPatterns() {
    DogfoodSafetyPolicy custom =
        dogfood("{\"blocked_patterns\": [\"dangerous_command\", \"(?P<w>stop)-(?P=w)\"]}");
    assertThat(blocked(custom, bash("run dangerous_command now"))).isTrue();
    assertThat(blocked(custom, bash("stop-STOP"))).isTrue();
    assertThat(blocked(custom, bash("docker compose down"))).isFalse();
  }

  @Test
  @DisplayName(
      "the command is read as luthien-proxy reads it: command of a JSON object, the text when not"
          + " JSON")
  void command() {
    assertThat(DogfoodSafetyPolicy.command("{\"command\": \"ls -la\"}")).isEqualTo("ls -la");
    assertThat(DogfoodSafetyPolicy.command("{\"other\": \"value\"}")).isEmpty();
    assertThat(DogfoodSafetyPolicy.command("{}")).isEmpty();
    assertThat(DogfoodSafetyPolicy.command("ls -la")).isEqualTo("ls -la");
    assertThat(DogfoodSafetyPolicy.command("not json {")).isEqualTo("not json {");
    assertThat(DogfoodSafetyPolicy.command("[\"docker\"]")).isEmpty();
    assertThat(DogfoodSafetyPolicy.command("{\"command\": [\"docker\", \"compose\", \"down\"]}"))
        .isEqualTo("docker compose down");
    assertThat(blocked(DEFAULTS, new ToolCall("c", "Bash", "docker compose down; broken {")))
        .isTrue();
  }

  @Test
  @DisplayName(
      "a blocked call becomes luthien-proxy's message with the command, and a"
          + " dogfood_safety.blocked event")
  void messageAndEvent() {
    LocalPolicyContext context = new PolicyHarness(DEFAULTS, request()).context();
    ToolCallVerdict verdict = verdict(DEFAULTS, bash("docker compose down"), context);
    assertThat(verdict.text())
        .isEqualTo(
            "⛔ BLOCKED by DogfoodSafetyPolicy: 'docker compose down' would disrupt the Luthien"
                + " proxy infrastructure. Use a separate terminal for Docker/infrastructure"
                + " commands while dogfooding.");
    assertThat(context.events().get(0).type()).isEqualTo("policy.dogfood_safety.blocked");
    assertThat(context.events().get(0).data())
        .isEqualTo(new JsonObject().put("tool_name", "Bash").put("command", "docker compose down"));

    DogfoodSafetyPolicy custom =
        dogfood("{\"blocked_message\": \"no: {command} ({pattern}) {{ok}}\"}");
    String longCommand = "docker compose down " + "x".repeat(300);
    assertThat(verdict(custom, bash(longCommand)).text())
        .isEqualTo("no: " + longCommand.substring(0, 200) + " (regex) {ok}");
  }

  @Test
  @DisplayName(
      "whole answers: the dangerous call becomes text, a safe one stays; stop reasons follow")
  void wholeAnswers() {
    PolicyHarness harness = new PolicyHarness(DEFAULTS, request());
    JsonObject onlyBad =
        done(DEFAULTS.onResponse(answer(null, bash("docker compose down")), harness.context()));
    assertThat(Completions.text(onlyBad)).contains("BLOCKED");
    assertThat(Completions.toolCalls(onlyBad)).isEmpty();
    assertThat(Completions.finishReason(onlyBad)).isEqualTo("stop");

    ToolCall safe = new ToolCall("toolu_safe", "Bash", "{\"command\":\"echo hello\"}");
    ToolCall bad = new ToolCall("toolu_bad", "Bash", "{\"command\":\"docker compose down\"}");
    JsonObject mixed =
        done(DEFAULTS.onResponse(answer("Let me run that", safe, bad), harness.context()));
    assertThat(Completions.text(mixed)).startsWith("Let me run that\n\n⛔ BLOCKED");
    assertThat(Completions.toolCalls(mixed)).containsExactly(safe);
    assertThat(Completions.finishReason(mixed)).isEqualTo("tool_calls");
  }

  @Test
  @DisplayName("streams: an Anthropic backend's tool_use stop reason becomes end_turn")
  void streamStopReason() {
    List<io.vertx.core.json.JsonObject> chunks = stream("", bash("docker compose down"));
    JsonObject last = chunks.get(chunks.size() - 1);
    last.put(Canonical.EXTRA, new JsonObject().put("stop_reason", "tool_use"));
    PolicyHarness.StreamResult result = done(new PolicyHarness(DEFAULTS, request()).stream(chunks));
    ChunkAccumulator client = new ChunkAccumulator();
    result.chunks().forEach(client::add);
    assertThat(Completions.toolCalls(client.completion())).isEmpty();
    assertThat(Completions.text(client.completion())).contains("BLOCKED");
    JsonObject finish = result.chunks().get(result.chunks().size() - 1);
    assertThat(finish.getJsonObject(Canonical.EXTRA).getString("stop_reason"))
        .isEqualTo("end_turn");
  }

  @Test
  @DisplayName("a bad config is refused naming the policy and the key")
  void badConfig() {
    assertThatThrownBy(() -> dogfood("{\"blocked_patterns\": [\"(\"]}"))
        .hasMessageStartingWith("DogfoodSafetyPolicy: config key 'blocked_patterns[0]'");
    assertThatThrownBy(() -> dogfood("{\"blocked_patterns\": \"docker\"}"))
        .hasMessageStartingWith("DogfoodSafetyPolicy: config key 'blocked_patterns'");
    assertThatThrownBy(() -> dogfood("{\"tool_names\": [1]}"))
        .hasMessageStartingWith("DogfoodSafetyPolicy: config key 'tool_names[0]'");
    assertThatThrownBy(() -> dogfood("{\"blocked_message\": \"{tool_name}\"}"))
        .hasMessageStartingWith("DogfoodSafetyPolicy: config key 'blocked_message'");
    assertThatThrownBy(() -> dogfood("{\"blocked_pattern\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DogfoodSafetyPolicy: config key 'blocked_pattern'");
  }

  @Test
  @DisplayName(
      "both policies are in the library's index, so luthien-proxy's"
          + " 'luthien_proxy.policies.dogfood_safety_policy:DogfoodSafetyPolicy' names this one")
  void listed() throws IOException, ReflectiveOperationException {
    List<String> listed = new ArrayList<>();
    for (URL index :
        Collections.list(getClass().getClassLoader().getResources("META-INF/luthien-policies"))) {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
        reader.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(listed::add);
      }
    }
    assertThat(listed)
        .contains(ToolCallGuardPolicy.class.getName(), DogfoodSafetyPolicy.class.getName());
    Policy loaded =
        Class.forName(DogfoodSafetyPolicy.class.getName())
            .asSubclass(Policy.class)
            .getConstructor(PolicyConfig.class)
            .newInstance(PolicyConfig.empty("DogfoodSafetyPolicy"));
    assertThat(loaded.name()).isEqualTo("DogfoodSafetyPolicy");
  }
}
