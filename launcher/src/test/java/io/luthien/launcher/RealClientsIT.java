package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real clients, pinned, installed from npm by their check scripts (npm's cache keeps them for
 * the next run), through the packaged jar to fake upstreams: each must finish an agent loop.
 */
class RealClientsIT {

  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  private static final String CLAUDE_CODE = "2.1.197";
  private static final String OPENAI_SDK = "6.49.0";
  private static final String CODEX = "0.171.0";

  @Test
  @DisplayName(
      "Claude Code through ToolCallGuardPolicy: the guard's message, the turn ended, the blocked command never run")
  void claudeCodeThroughAToolGuard() throws Exception {
    String output =
        run(List.of(SCRIPTS.resolve("claude-code-check/run-policy").toString(), CLAUDE_CODE));

    assertThat(output).contains("GUARD: Bash was not run", "0 with a tool result", "\nOK");
  }

  @Test
  @DisplayName("Claude Code's prompt and /context through the gateway to a fake Anthropic upstream")
  void claudeCode() throws Exception {
    String output = run(List.of(SCRIPTS.resolve("claude-code-check/run").toString(), CLAUDE_CODE));

    assertThat(output).contains("Hello from the fake Anthropic upstream.", "\nOK");
  }

  @Test
  @DisplayName(
      "the openai SDK's Responses calls and Codex's agent loop (exec_command, its output back, the answer) to a "
          + "chat-completions model and to a claude model")
  void openAiSdkAndCodex() throws Exception {
    String output =
        run(List.of(SCRIPTS.resolve("responses-check/run").toString(), OPENAI_SDK, CODEX));

    assertThat(output)
        .contains(
            "tool loop: call_", "codex exec -m gpt-4o-mini", "codex exec -m claude-sonnet-4-5")
        .endsWith("OK\n");
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("real-client", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(8, TimeUnit.MINUTES);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as("%s ended within 8 minutes: %s", command, output).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
