package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusteredNodesTest {

  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
  }

  @Test
  @DisplayName(
      "gateway on one node, policy, recorder and debug on another: a streamed completion crosses the cluster "
          + "chunk by chunk and is recorded on the other node")
  void streamAcrossTwoNodes() throws Exception {
    Vertx clientVertx = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(clientVertx)).streamChunks(8, 2);
    int policyClusterPort = NodeFixture.freePort();
    int gatewayClusterPort = NodeFixture.freePort();
    int gatewayPort = NodeFixture.freePort();
    int debugPort = NodeFixture.freePort();
    String members = "127.0.0.1:" + policyClusterPort + ",127.0.0.1:" + gatewayClusterPort;
    String clusterName = "luthien-test-" + System.nanoTime();

    Map<String, String> policyEnv =
        NodeFixture.env(
            "CLUSTER_MEMBERS",
            members,
            "CLUSTER_PORT",
            policyClusterPort,
            "CLUSTER_NAME",
            clusterName,
            "POLICY_CONFIG",
            NodeFixture.allCapsPolicyFile(),
            "DATABASE_URL",
            LocalServices.POSTGRES_URL,
            "DEBUG_PORT",
            debugPort);
    Map<String, String> gatewayEnv =
        NodeFixture.env(
            "CLUSTER_MEMBERS",
            members,
            "CLUSTER_PORT",
            gatewayClusterPort,
            "CLUSTER_NAME",
            clusterName,
            "GATEWAY_PORT",
            gatewayPort,
            "OPENAI_BASE_URL",
            upstream.baseUrl());
    track(NodeFixture.startNode(List.of("--roles", "policy,recorder,debug"), policyEnv));
    track(NodeFixture.startNode(List.of("--roles", "gateway"), gatewayEnv));

    HttpClient http = clientVertx.createHttpClient();
    List<String> arrivals = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    HttpClientResponse response =
        await(
            http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(gatewayPort)
                        .setURI("/v1/chat/completions"))
                .compose(request -> request.send(NodeFixture.chat("gpt-4o", "hi", true).toBuffer()))
                .compose(
                    streaming -> {
                      streaming.handler(
                          chunk -> {
                            arrivals.add(chunk.toString());
                            body.append(chunk);
                          });
                      return streaming.end().map(streaming);
                    }));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
    assertThat(NodeFixture.assistantText(body.toString(), true))
        .isEqualTo("PART0 PART1 PART2 PART3 PART4 PART5 PART6 PART7 ");
    assertThat(body.toString()).endsWith("data: [DONE]\n\n");
    assertThat(arrivals)
        .as("chunks arrive one by one, not as one buffered body")
        .hasSizeGreaterThan(5);
    JsonObject upstreamRequest = upstream.requests().get(0);
    assertThat(upstreamRequest.getBoolean("stream")).isTrue();
    JsonObject recorded = awaitRecorded(clientVertx, debugPort, response.getHeader("X-Call-ID"));
    assertThat(recorded.getBoolean("stream")).isTrue();
    assertThat(
            recorded
                .getJsonArray("events")
                .getJsonObject(1)
                .getJsonObject("payload")
                .getJsonObject("final")
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .isEqualTo("PART0 PART1 PART2 PART3 PART4 PART5 PART6 PART7 ");
  }

  private static JsonObject awaitRecorded(Vertx vertx, int debugPort, String callId) {
    WebClient debug =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(debugPort));
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> call = await(debug.get("/debug/calls/" + callId).send());
      if (call.statusCode() == 200 && call.bodyAsJsonObject().getJsonArray("events").size() >= 2) {
        return call.bodyAsJsonObject();
      }
      LocalServices.sleep(50);
    }
    throw new AssertionError("call " + callId + " was not recorded on the other node");
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }

  @Test
  @DisplayName(
      "two policy nodes share the streams of one gateway node, and every chunk of a stream stays on one of them")
  void policyNodesShareStreams() throws Exception {
    Vertx clientVertx = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(clientVertx)).streamChunks(5, 1);
    int[] clusterPorts = {NodeFixture.freePort(), NodeFixture.freePort(), NodeFixture.freePort()};
    int gatewayPort = NodeFixture.freePort();
    String members =
        "127.0.0.1:"
            + clusterPorts[0]
            + ",127.0.0.1:"
            + clusterPorts[1]
            + ",127.0.0.1:"
            + clusterPorts[2];
    String clusterName = "luthien-test-" + System.nanoTime();
    for (String node : List.of("A", "B")) {
      Path policy = Files.createTempFile("policy", ".yaml");
      Files.writeString(
          policy,
          "policy:\n  class: "
              + NodeTaggingPolicy.class.getName()
              + "\n  config:\n    node: "
              + node
              + "\n");
      track(
          NodeFixture.startNode(
              List.of("--roles", "policy"),
              NodeFixture.env(
                  "CLUSTER_MEMBERS",
                  members,
                  "CLUSTER_PORT",
                  clusterPorts[node.equals("A") ? 0 : 1],
                  "CLUSTER_NAME",
                  clusterName,
                  "POLICY_CONFIG",
                  policy)));
    }
    track(
        NodeFixture.startNode(
            List.of("--roles", "gateway"),
            NodeFixture.env(
                "CLUSTER_MEMBERS",
                members,
                "CLUSTER_PORT",
                clusterPorts[2],
                "CLUSTER_NAME",
                clusterName,
                "GATEWAY_PORT",
                gatewayPort,
                "GATEWAY_INSTANCES",
                1,
                "OPENAI_BASE_URL",
                upstream.baseUrl())));

    WebClient client = WebClient.create(clientVertx);
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(
          client
              .post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
              .sendJsonObject(NodeFixture.chat("gpt-4o", "hi " + i, true)));
    }
    await(Future.all(calls));

    Set<String> nodesSeen = new HashSet<>();
    for (Future<HttpResponse<Buffer>> call : calls) {
      HttpResponse<Buffer> response = call.result();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(NodeFixture.assistantText(response.bodyAsString(), true))
          .isEqualTo("part0 part1 part2 part3 part4 ");
      Set<String> servedBy = new HashSet<>();
      for (String line : response.bodyAsString().split("\n", -1)) {
        if (line.startsWith("data: {")) {
          servedBy.add(new JsonObject(line.substring(6)).getString("served_by"));
        }
      }
      assertThat(servedBy).as("one policy node per stream").hasSize(1);
      nodesSeen.addAll(servedBy);
    }
    assertThat(nodesSeen).as("both policy nodes took streams").containsExactlyInAnyOrder("A", "B");
  }
}
