package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.telemetry.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started the way a person starts it, in a terminal ({@code script} gives it one).
 */
class TerminalLogIT {

  private static final String TEXT_LINE =
      "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR|DEBUG) \\S+ - .*";
  private static final String BANNER_ROW = " {2}\\S.*";

  @Test
  @DisplayName(
      "on a terminal the node logs text lines, ends its start with the banner, and says one line when it "
          + "stops")
  void textOnTerminal() throws IOException {
    NodeProcess node = NodeProcess.startOnTerminal("terminal", Map.of());
    String started;
    try {
      started = node.stdout();
    } finally {
      node.close();
    }
    List<String> lines = node.stdout().lines().filter(line -> !line.isBlank()).toList();

    assertThat(lines).allSatisfy(line -> assertThat(line).matches(TEXT_LINE + "|" + BANNER_ROW));
    assertThat(started)
        .containsPattern(
            "INFO  i\\.l\\.launcher\\.Node - luthien node up in .+: policy, recorder, "
                + "gateway, debug \\(not clustered\\)\n  OpenAI API +http://127\\.0\\.0\\.1:"
                + node.gatewayPort()
                + "/v1\n");
    assertThat(lines)
        .filteredOn(line -> line.contains("luthien stopped"))
        .singleElement()
        .asString()
        .matches(
            "\\S+ INFO  i\\.l\\.launcher\\.Main - luthien stopped \\(policy, recorder, gateway, debug; up .+\\)");
  }

  @Test
  @DisplayName("LOG_FORMAT=json gives JSON lines even on a terminal")
  void jsonWhenAsked() throws IOException {
    try (NodeProcess node =
        NodeProcess.startOnTerminal("terminal-json", Map.of("LOG_FORMAT", "json"))) {
      List<String> lines = node.stdout().lines().filter(line -> !line.isBlank()).toList();

      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(line -> assertThat(new JsonObject(line).getMap()).containsKey("message"));
    }
  }
}
