package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadyBannerTest {

  private final List<RunningNode> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(node -> await(node.vertx().close()));
  }

  @Test
  @DisplayName(
      "an all-in-one node's banner lists the API, debug pages, metrics and health on their ports, "
          + "the database without its password, the live feed and the policy with its file")
  void allInOneNode() throws Exception {
    int gatewayPort = NodeFixture.freePort();
    int debugPort = NodeFixture.freePort();
    int metricsPort = NodeFixture.freePort();
    Path policyFile = NodeFixture.allCapsPolicyFile();

    String banner =
        start(
            List.of(),
            "GATEWAY_PORT",
            gatewayPort,
            "DEBUG_PORT",
            debugPort,
            "METRICS_PORT",
            metricsPort,
            "DATABASE_URL",
            "postgresql://postgres:hunter2@127.0.0.1:5432/test",
            "REDIS_URL",
            LocalServices.REDIS_URL,
            "POLICY_CONFIG",
            policyFile,
            "GATEWAY_INSTANCES",
            2);

    assertThat(banner.lines())
        .first()
        .asString()
        .startsWith("luthien node up in ")
        .endsWith(": policy x2, recorder, gateway x2, debug (not clustered)");
    assertThat(banner)
        .contains(
            "OpenAI API      http://127.0.0.1:" + gatewayPort + "/v1",
            "Anthropic API   http://127.0.0.1:" + gatewayPort + "  ",
            "debug pages     http://127.0.0.1:" + debugPort + "/\n",
            "diff viewer     http://127.0.0.1:" + debugPort + "/debug/diff",
            "live activity   http://127.0.0.1:" + debugPort + "/activity/monitor",
            "recorded calls  http://127.0.0.1:" + debugPort + "/debug/calls",
            "policies        http://127.0.0.1:" + debugPort + "/policies",
            "metrics         http://127.0.0.1:" + metricsPort + "/metrics",
            "health          http://127.0.0.1:" + metricsPort + "/health",
            "storage         PostgreSQL postgres@127.0.0.1:5432/test (DATABASE_URL)",
            "live feed       Redis redis://127.0.0.1:6379 (REDIS_URL)",
            "policy          AllCapsPolicy from "
                + policyFile.toAbsolutePath()
                + " (POLICY_CONFIG)");
    assertThat(banner).doesNotContain("hunter2").doesNotContain("\n  cluster");
  }

  @Test
  @DisplayName(
      "a gateway-only node's banner shows the API, its node port and its cluster, "
          + "and nothing of debug pages, storage or policy")
  void gatewayNode() throws Exception {
    int gatewayPort = NodeFixture.freePort();
    int clusterPort = NodeFixture.freePort();

    String banner =
        start(
            List.of("--roles", "gateway"),
            "GATEWAY_PORT",
            gatewayPort,
            "GATEWAY_INSTANCES",
            2,
            "CLUSTER_PORT",
            clusterPort,
            "CLUSTER_MEMBERS",
            "127.0.0.1:" + clusterPort,
            "CLUSTER_NAME",
            "banner-gateway-" + System.nanoTime());

    assertThat(banner.lines()).first().asString().endsWith(": gateway x2");
    assertThat(banner)
        .contains(
            "OpenAI API     http://127.0.0.1:" + gatewayPort + "/v1",
            "/metrics",
            "/health",
            "cluster        'banner-gateway-",
            "' as 127.0.0.1:"
                + clusterPort
                + ", 1 member so far; contacts 127.0.0.1:"
                + clusterPort);
    assertThat(banner).doesNotContain("/debug/", "/activity/", "storage", "live feed", "policy");
  }

  @Test
  @DisplayName(
      "a policy-only node's banner shows its policy and node port, and neither API nor storage")
  void policyNode() throws Exception {
    int clusterPort = NodeFixture.freePort();

    String banner =
        start(
            List.of("--roles", "policy"),
            "CLUSTER_PORT",
            clusterPort,
            "CLUSTER_MEMBERS",
            "127.0.0.1:" + clusterPort,
            "CLUSTER_NAME",
            "banner-policy-" + System.nanoTime());

    assertThat(banner.lines()).first().asString().endsWith(": policy");
    assertThat(banner).contains("policy   NoOpPolicy (POLICY_CONFIG not set)", "/health");
    assertThat(banner).doesNotContain("API", "/debug/", "storage");
  }

  @Test
  @DisplayName(
      "with telemetry off the banner names /health but no /metrics, which the node does not serve")
  void telemetryOff() throws Exception {
    String banner =
        start(
            List.of(),
            "GATEWAY_PORT",
            NodeFixture.freePort(),
            "DEBUG_PORT",
            NodeFixture.freePort(),
            "DATABASE_URL",
            LocalServices.POSTGRES_URL,
            "OTEL_ENABLED",
            "false");

    assertThat(banner).contains("/health").doesNotContain("/metrics");
  }

  @Test
  @DisplayName("a Redis URL's user and password never reach the banner")
  void redisCredentialsAreLeftOut() {
    assertThat(
            StorageDescription.activityFeed(
                new io.vertx.core.json.JsonObject()
                    .put("REDIS_URL", "redis://luthien:s3cret@redis.internal:6380/2")))
        .isEqualTo("Redis redis://redis.internal:6380/2 (REDIS_URL)");
  }

  private String start(List<String> args, Object... env) {
    RunningNode node = await(NodeFixture.start(args, NodeFixture.env(env)));
    started.add(node);
    return node.banner().text();
  }
}
