package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.telemetry.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged jar's first run as a newcomer makes it, on the embedded default (its own PostgreSQL,
 * two instances of gateway and policy), with its output piped to a file: what the log says, once,
 * and how a second node on the same data directory or port is turned away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstRunIT {

  private NodeProcess node;
  private Path policyFile;

  @BeforeAll
  void start() throws IOException {
    policyFile = NodeFixture.allCapsPolicyFile();
    node =
        NodeProcess.start(
            "first-run",
            Map.of(
                "DATABASE_URL",
                "",
                "GATEWAY_INSTANCES",
                "2",
                "POLICY_CONFIG",
                policyFile.toString()));
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @DisplayName("with its output piped, every line the node logs is one JSON object")
  void pipedOutputIsJson() {
    List<String> lines = node.stdout().lines().filter(line -> !line.isBlank()).toList();

    assertThat(lines)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(new JsonObject(line).getMap()).containsKey("message"));
  }

  @Test
  @DisplayName(
      "the start ends with one banner: the URLs on the node's ports, the embedded PostgreSQL with its data "
          + "directory, and the policy with its file")
  void oneBanner() {
    List<String> banners =
        messages().stream().filter(message -> message.startsWith("luthien node up")).toList();

    assertThat(banners).hasSize(1);
    assertThat(banners.get(0))
        .contains(
            "http://127.0.0.1:" + node.gatewayPort() + "/v1",
            "http://127.0.0.1:" + node.metricsPort() + "/health",
            "http://127.0.0.1:" + node.env("DEBUG_PORT") + "/debug/diff")
        .containsPattern(
            "storage\\s+embedded PostgreSQL on 127\\.0\\.0\\.1:\\d+, data in "
                + Pattern.quote(
                    Path.of(node.env("LUTHIEN_DATA_DIR")).resolve("postgres").toString())
                + " \\(LUTHIEN_DATA_DIR\\)")
        .containsPattern(
            "policy\\s+AllCapsPolicy from "
                + Pattern.quote(policyFile.toString())
                + " \\(POLICY_CONFIG\\)");
  }

  @Test
  @DisplayName(
      "the start logs no warning from a library: Micrometer's \"Gauge has been already registered\" included")
  void noLibraryWarnings() {
    assertThat(node.jsonLogLines())
        .filteredOn(line -> List.of("WARN", "ERROR").contains(line.getString("level")))
        .extracting(line -> line.getString("logger_name"))
        .allSatisfy(logger -> assertThat(logger).startsWith("io.luthien."));
    assertThat(node.stdout()).doesNotContain("already registered");
  }

  @Test
  @DisplayName(
      "a clustered node's start logs no warning from a library either: Hazelcast's CP subsystem notice "
          + "included")
  void noLibraryWarningsClustered() throws IOException {
    int clusterPort = NodeFixture.freePort();
    try (NodeProcess clustered =
        NodeProcess.start(
            "first-run-clustered",
            Map.of(
                "CLUSTER_PORT",
                String.valueOf(clusterPort),
                "CLUSTER_MEMBERS",
                "127.0.0.1:" + clusterPort,
                "CLUSTER_NAME",
                "first-run-" + System.nanoTime()))) {
      assertThat(clustered.jsonLogLines())
          .filteredOn(line -> List.of("WARN", "ERROR").contains(line.getString("level")))
          .extracting(line -> line.getString("logger_name"))
          .allSatisfy(logger -> assertThat(logger).startsWith("io.luthien."));
      assertThat(clustered.stdout()).contains("cluster ").doesNotContain("CP Subsystem");
    }
  }

  @Test
  @DisplayName("each start line appears once, though gateway and policy run two instances each")
  void eachLineOnce() {
    List<JsonObject> start =
        node.jsonLogLines().stream()
            .takeWhile(line -> !line.getString("message").startsWith("luthien node up"))
            .toList();

    Map<String, Long> counts =
        start.stream()
            .collect(
                Collectors.groupingBy(
                    line -> line.getString("logger_name") + ": " + line.getString("message"),
                    Collectors.counting()));
    assertThat(counts)
        .isNotEmpty()
        .allSatisfy((line, count) -> assertThat(count).as(line).isEqualTo(1));
  }

  @Test
  @DisplayName(
      "a second node on the same LUTHIEN_DATA_DIR exits with status 1 and one line saying another node "
          + "uses it")
  void sameDataDirectory() throws IOException {
    NodeProcess.Exited second =
        NodeProcess.runUntilExit(
            "first-run-same-data",
            Map.of("DATABASE_URL", "", "LUTHIEN_DATA_DIR", node.env("LUTHIEN_DATA_DIR")));

    assertThat(second.status()).isEqualTo(1);
    assertThat(errorLines(second))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getString("message"))
                  .isEqualTo(
                      "luthien did not start: another luthien node is using the data "
                          + "directory "
                          + node.env("LUTHIEN_DATA_DIR")
                          + " (LUTHIEN_DATA_DIR): stop it, or give this node a "
                          + "LUTHIEN_DATA_DIR of its own (or a shared PostgreSQL in DATABASE_URL)");
              assertThat(error.getMap()).doesNotContainKey("stack_trace");
            });
  }

  @Test
  @DisplayName(
      "a second node on the same gateway port exits with status 1 and one line naming the port and "
          + "GATEWAY_PORT")
  void sameGatewayPort() throws IOException {
    NodeProcess.Exited second =
        NodeProcess.runUntilExit(
            "first-run-same-port", Map.of("GATEWAY_PORT", String.valueOf(node.gatewayPort())));

    assertThat(second.status()).isEqualTo(1);
    assertThat(errorLines(second))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getString("message"))
                  .startsWith(
                      "luthien did not start: cannot listen on 127.0.0.1:"
                          + node.gatewayPort()
                          + " (GATEWAY_PORT): already in use");
              assertThat(error.getMap()).doesNotContainKey("stack_trace");
            });
  }

  private List<String> messages() {
    return node.jsonLogLines().stream().map(line -> line.getString("message")).toList();
  }

  private static List<JsonObject> errorLines(NodeProcess.Exited exited) {
    Function<String, JsonObject> parse = JsonObject::new;
    return exited
        .stdout()
        .lines()
        .filter(line -> line.startsWith("{"))
        .map(parse)
        .filter(line -> "ERROR".equals(line.getString("level")))
        .toList();
  }
}
