package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyAdminClusterTest {

  private static final String ADMIN_KEY = "admin-key-for-tests";
  private static final Pattern LABEL = Pattern.compile("^\\[(\\w+)@(\\w+)] ");

  private final List<Vertx> started = new ArrayList<>();
  private String database;

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
    if (database != null) {
      LocalServices.dropDatabase(database);
    }
  }

  @Test
  @DisplayName(
      "a policy set on the gateway's /api/admin/policy/set is served by both policy nodes of the"
          + " cluster within a second, and the admin API reports it")
  void setSwitchesEveryPolicyNode() throws Exception {
    database = LocalServices.freshDatabase();
    Vertx client = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(client));
    int gatewayCluster = NodeFixture.freePort();
    int policyCluster1 = NodeFixture.freePort();
    int policyCluster2 = NodeFixture.freePort();
    int gatewayPort = NodeFixture.freePort();
    String members =
        "127.0.0.1:"
            + gatewayCluster
            + ",127.0.0.1:"
            + policyCluster1
            + ",127.0.0.1:"
            + policyCluster2;
    String clusterName = "luthien-admin-" + System.nanoTime();
    Path policyFile = Files.createTempFile("policy", ".yaml");
    Files.writeString(
        policyFile,
        "policy:\n  class: " + NodeLabelPolicy.class.getName() + "\n  config: {label: fromfile}\n");
    policyFile.toFile().deleteOnExit();
    for (int clusterPort : List.of(policyCluster1, policyCluster2)) {
      track(
          NodeFixture.startNode(
              List.of("--roles", "policy"),
              clusterEnv(members, clusterName, clusterPort, "POLICY_CONFIG", policyFile)));
    }
    track(
        NodeFixture.startNode(
            List.of("--roles", "gateway,recorder,debug"),
            clusterEnv(
                members,
                clusterName,
                gatewayCluster,
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "ADMIN_API_KEY",
                ADMIN_KEY,
                "OPENAI_BASE_URL",
                upstream.baseUrl())));
    WebClient web = WebClient.create(client);

    assertThat(labels(web, gatewayPort, 6)).extracting(Label::label).containsOnly("fromfile");

    HttpResponse<Buffer> set =
        await(
            web.post(gatewayPort, "127.0.0.1", "/api/admin/policy/set")
                .bearerTokenAuthentication(ADMIN_KEY)
                .sendJsonObject(
                    new JsonObject()
                        .put("policy_class_ref", NodeLabelPolicy.class.getName())
                        .put("config", new JsonObject().put("label", "fromapi"))
                        .put("enabled_by", "cluster-test")));
    long setAt = System.nanoTime();
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getBoolean("success")).isTrue();

    List<Label> after = new ArrayList<>();
    while (after.size() < 8 || !after.stream().allMatch(l -> l.label().equals("fromapi"))) {
      assertThat(System.nanoTime() - setAt)
          .as("every policy node serves the new policy within a second of the set")
          .isLessThan(1_000_000_000L);
      after = labels(web, gatewayPort, 8);
    }
    Set<String> nodes = new HashSet<>();
    after.forEach(label -> nodes.add(label.node()));
    assertThat(nodes).as("both policy nodes served calls after the set").hasSize(2);

    JsonObject current =
        await(
                web.get(gatewayPort, "127.0.0.1", "/api/admin/policy/current")
                    .bearerTokenAuthentication(ADMIN_KEY)
                    .send())
            .bodyAsJsonObject();
    assertThat(current.getString("class_ref")).isEqualTo(NodeLabelPolicy.class.getName());
    assertThat(current.getString("source")).isEqualTo("database");
    assertThat(current.getString("enabled_by")).isEqualTo("cluster-test");
    assertThat(current.getJsonObject("config")).isEqualTo(new JsonObject().put("label", "fromapi"));
  }

  private record Label(String label, String node) {}

  private static List<Label> labels(WebClient web, int gatewayPort, int calls) {
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      HttpResponse<Buffer> response =
          await(
              web.post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
                  .sendJsonObject(NodeFixture.chat("gpt-4o", "hi " + i, false)));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      String text = NodeFixture.assistantText(response.bodyAsString(), false);
      Matcher matcher = LABEL.matcher(text);
      assertThat(matcher.find()).as(text).isTrue();
      labels.add(new Label(matcher.group(1), matcher.group(2)));
    }
    return labels;
  }

  private Map<String, String> clusterEnv(
      String members, String clusterName, int clusterPort, Object... more) {
    Map<String, String> env =
        NodeFixture.env(
            "CLUSTER_MEMBERS",
            members,
            "CLUSTER_PORT",
            clusterPort,
            "CLUSTER_NAME",
            clusterName,
            "DATABASE_URL",
            database,
            "POLICY_RELOAD_INTERVAL_MS",
            60_000);
    env.putAll(NodeFixture.env(more));
    return env;
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }
}
