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

import io.luthien.canonical.ChunkAccumulator;
import io.luthien.canonical.Completions;
import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.LocalPolicyContext;
import io.luthien.policy.api.PolicyHarness;
import io.luthien.policy.api.ToolCallVerdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolCallGuardPolicyTest {

  private static ToolCallGuardPolicy guard(String json) {
    return new ToolCallGuardPolicy(config("ToolCallGuardPolicy", json));
  }

  private static final ToolCall READ = call("Read", new JsonObject().put("file_path", "a.txt"));
  private static final ToolCall FETCH = call("WebFetch", new JsonObject().put("url", "https://x"));

  @Test
  @DisplayName("deny_tools refuses the tools its globs name, whatever their case; others pass")
  void denyTools() {
    ToolCallGuardPolicy policy = guard("{\"deny_tools\": [\"Web*\", \"bash\"]}");
    assertThat(verdict(policy, FETCH).kind()).isEqualTo(ToolCallVerdict.Kind.REPLACE);
    assertThat(verdict(policy, bash("ls")).kind()).isEqualTo(ToolCallVerdict.Kind.REPLACE);
    assertThat(verdict(policy, READ)).isEqualTo(ToolCallVerdict.pass());
  }

  @Test
  @DisplayName("allow_tools lets only the tools its globs name through")
  void allowTools() {
    ToolCallGuardPolicy policy = guard("{\"allow_tools\": [\"Read\", \"Gr?p\", \"mcp__git__*\"]}");
    assertThat(verdict(policy, READ)).isEqualTo(ToolCallVerdict.pass());
    assertThat(verdict(policy, call("Grep", new JsonObject()))).isEqualTo(ToolCallVerdict.pass());
    assertThat(verdict(policy, call("mcp__git__log", new JsonObject())))
        .isEqualTo(ToolCallVerdict.pass());
    ToolCallVerdict bash = verdict(policy, bash("ls"));
    assertThat(bash.kind()).isEqualTo(ToolCallVerdict.Kind.REPLACE);
    assertThat(bash.text()).contains("Bash").contains("the tool is not in allow_tools");
  }

  @ParameterizedTest(name = "{0} {1}")
  @DisplayName("deny_arguments reads Claude Code's, Codex's and plain commands, and every string")
  @CsvSource(
      delimiter = '|',
      value = {
        "Bash          | {\"command\": \"sudo rm x\"}",
        "shell         | {\"command\": [\"sudo\", \"rm\", \"x\"]}",
        "shell         | {\"command\": [\"bash\", \"-lc\", \"sudo rm x\"], \"workdir\": \"/w\"}",
        "exec_command  | {\"cmd\": \"sudo rm x\"}",
        "exec_command  | {\"cmd\": [\"zsh\", \"-c\", \"sudo rm x\"]}",
        "mcp__x__run   | {\"options\": {\"script\": \"sudo rm x\"}}",
        "Bash          | sudo rm x (not JSON)",
      })
  void denyArguments(String tool, String arguments) {
    ToolCallGuardPolicy policy =
        guard("{\"deny_arguments\": {\"*\": [\"^sudo\\\\b\"], \"Read\": \"secret\"}}");
    ToolCall call = new ToolCall("call_1", tool, arguments);
    ToolCallVerdict verdict = verdict(policy, call);
    assertThat(verdict.kind()).isEqualTo(ToolCallVerdict.Kind.REPLACE);
    assertThat(verdict.text()).contains("^sudo\\b");
    assertThat(verdict(policy, new ToolCall("call_2", tool, arguments.replace("sudo", "echo"))))
        .isEqualTo(ToolCallVerdict.pass());
  }

  @Test
  @DisplayName("a deny_arguments regex applies only to the tools its glob names")
  void denyArgumentsPerTool() {
    ToolCallGuardPolicy policy = guard("{\"deny_arguments\": {\"Read\": \"secret\"}}");
    assertThat(verdict(policy, call("Read", new JsonObject().put("file_path", "/secret/x"))).kind())
        .isEqualTo(ToolCallVerdict.Kind.REPLACE);
    assertThat(verdict(policy, bash("cat /secret/x"))).isEqualTo(ToolCallVerdict.pass());
  }

  @Test
  @DisplayName(
      "the blocked message fills {tool}, {reason}, {rule} and {arguments}, and the event names"
          + " the tool and the rule")
  void messageAndEvent() {
    ToolCallGuardPolicy policy =
        guard(
            "{\"preset\": \"dangerous_commands\","
                + " \"blocked_message\": \"{tool}/{rule}/{reason}/{arguments}/{{x}}\"}");
    ToolCall call = bash("rm -rf /");
    LocalPolicyContext context = new PolicyHarness(policy, request()).context();
    assertThat(verdict(policy, call, context).text())
        .isEqualTo(
            "Bash/dangerous_commands:rm_rf_root/it deletes the whole system or home directory/"
                + call.arguments()
                + "/{x}");
    assertThat(context.events().get(0).type()).isEqualTo("policy.tool_call_guard.blocked");
    assertThat(context.events().get(0).data())
        .isEqualTo(
            new JsonObject()
                .put("tool", "Bash")
                .put("tool_call_id", "call_Bash")
                .put("rule", "dangerous_commands:rm_rf_root")
                .put("action", "replace"));
  }

  @Test
  @DisplayName(
      "replace: in a stream the call becomes the message, the others run, the text streams")
  void replaceInStream() {
    ToolCallGuardPolicy policy = guard("{\"preset\": [\"dangerous_commands\"]}");
    PolicyHarness.StreamResult result =
        done(
            new PolicyHarness(policy, request())
                .stream(stream("Cleaning.", READ, bash("rm -rf ~"))));
    ChunkAccumulator client = new ChunkAccumulator();
    result.chunks().forEach(client::add);
    JsonObject got = client.completion();
    assertThat(result.endedByPolicy()).isFalse();
    assertThat(Completions.toolCalls(got)).containsExactly(READ);
    assertThat(Completions.text(got))
        .startsWith("Cleaning.\n\n⛔ The Bash call was blocked")
        .contains("it deletes the whole system or home directory");
    assertThat(Completions.finishReason(got)).isEqualTo("tool_calls");
  }

  @Test
  @DisplayName("action: block ends the turn: no call runs and a stream ends with the message")
  void blockEndsTurn() {
    ToolCallGuardPolicy policy = guard("{\"deny_tools\": [\"WebFetch\"], \"action\": \"block\"}");
    PolicyHarness harness = new PolicyHarness(policy, request());
    PolicyHarness.StreamResult result = done(harness.stream(stream("", READ, FETCH)));
    ChunkAccumulator client = new ChunkAccumulator();
    result.chunks().forEach(client::add);
    assertThat(result.endedByPolicy()).isTrue();
    assertThat(Completions.toolCalls(client.completion())).isEmpty();
    assertThat(Completions.text(client.completion()))
        .contains("WebFetch")
        .contains("deny_tools 'WebFetch'");

    JsonObject whole = done(policy.onResponse(answer("Fetching.", READ, FETCH), harness.context()));
    assertThat(Completions.toolCalls(whole)).isEmpty();
    assertThat(Completions.finishReason(whole)).isEqualTo("stop");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("a bad config is refused naming the policy and the key")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"deny_tool\": [\"Bash\"]}                              | deny_tool",
        "{\"deny_tools\": \"Bash\"}                               | deny_tools",
        "{\"deny_tools\": [\"Bash\", 3]}                          | deny_tools[1]",
        "{\"deny_tools\": [\"[Bash\"]}                            | deny_tools[0]",
        "{\"allow_tools\": [\"\"]}                                | allow_tools[0]",
        "{\"allow_tools\": []}                                    | allow_tools",
        "{\"deny_arguments\": [\"rm\"]}                           | deny_arguments",
        "{\"deny_arguments\": {\"Bash\": [\"(unclosed\"]}}        | deny_arguments.Bash[0]",
        "{\"deny_arguments\": {\"Bash\": [true]}}                 | deny_arguments.Bash[0]",
        "{\"deny_arguments\": {\"Bash\": []}}                     | deny_arguments.Bash",
        "{\"deny_arguments\": {\"[x\": \"rm\"}}                   | deny_arguments.[x",
        "{\"preset\": \"dangerous\"}                              | preset",
        "{\"preset\": \"dangerous_commands\", \"action\": \"drop\"} | action",
        "{\"preset\": \"dangerous_commands\", \"blocked_message\": \"{command}\"} | blocked_message",
        "{\"preset\": \"dangerous_commands\", \"blocked_message\": \"{tool\"}    | blocked_message",
        "{}                                                       | preset",
      })
  void badConfig(String json, String key) {
    assertThatThrownBy(() -> guard(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ToolCallGuardPolicy: config key '" + key + "'");
  }

  @Test
  @DisplayName("the config keys of the shipped example file are accepted")
  void shippedExample() {
    ToolCallGuardPolicy policy =
        guard(
            new JsonObject()
                .put("preset", "dangerous_commands")
                .put("deny_tools", new JsonArray())
                .put(
                    "deny_arguments",
                    new JsonObject()
                        .put("Bash", new JsonArray().add("\\bsudo\\s"))
                        .put("shell", new JsonArray().add("\\bsudo\\s"))
                        .put("exec_command", new JsonArray().add("\\bsudo\\s")))
                .put(
                    "blocked_message",
                    "⛔ {tool} was not run: {reason} (rule {rule}). Ask the user to run it"
                        + " themselves if it is really needed.")
                .put("action", "replace")
                .encode());
    assertThat(verdict(policy, bash("sudo apt install x")).text())
        .startsWith(
            "⛔ Bash was not run: its arguments match '\\bsudo\\s' (rule deny_arguments:Bash:");
    assertThat(verdict(policy, bash("ls -la"))).isEqualTo(ToolCallVerdict.pass());
  }
}
