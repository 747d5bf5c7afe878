package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A call's policy session lives on the policy node that took its request: when that node leaves the
 * cluster mid-call, the call fails at once with a clear 503, never a hang.
 */
class PolicySessionLostTest {

  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(vertx -> await(vertx.close()));
  }

  @Test
  @DisplayName(
      "the policy node that opened a whole call's session leaves while the upstream answers: 503 policy_session_lost")
  void wholeAnswer() throws Exception {
    Cluster cluster = start(upstream -> upstream.delayResponse(4_000));

    Future<HttpResponse<Buffer>> call =
        cluster
            .client
            .post(cluster.gatewayPort, "127.0.0.1", "/v1/chat/completions")
            .sendJsonObject(NodeFixture.chat("gpt-4o", "hi", false));
    waitFor(() -> !cluster.upstream.requests().isEmpty());
    await(cluster.policyNode.close());
    started.remove(cluster.policyNode);
    HttpResponse<Buffer> response = await(call);

    assertThat(response.statusCode()).isEqualTo(503);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("policy_session_lost");
    assertThat(error.getString("message")).contains("retry the call");
  }

  @Test
  @DisplayName(
      "the policy node of a stream leaves mid-stream: the client's stream ends with an error event naming policy_session_lost")
  void stream() throws Exception {
    Cluster cluster = start(FakeUpstream::holdStreamAfterFirstChunk);
    Vertx clientVertx = track(Vertx.vertx());
    Promise<Void> firstChunk = Promise.promise();
    StringBuilder body = new StringBuilder();

    // held in a variable to the end: Vert.x closes an HttpClient nobody references any more
    HttpClient http = clientVertx.createHttpClient();
    Future<HttpClientResponse> call =
        http.request(HttpMethod.POST, cluster.gatewayPort, "127.0.0.1", "/v1/chat/completions")
            .compose(request -> request.send(NodeFixture.chat("gpt-4o", "hi", true).toBuffer()))
            .compose(
                response -> {
                  response.handler(
                      data -> {
                        body.append(data);
                        firstChunk.tryComplete();
                      });
                  return response.end().map(response);
                });
    // the first chunk went through the policy node's session: the session is open there
    await(firstChunk.future());
    await(cluster.policyNode.close());
    started.remove(cluster.policyNode);
    // a chunk sent before the gateway's node knows the policy node left waits for POLICY_TIMEOUT_MS
    // (504 policy_timeout: bounded, never a hang); once it knows, the loss is a 503 at once
    waitFor(() -> clusterMembers(cluster) == 1);
    cluster.upstream.releaseStream();
    HttpClientResponse response = await(call);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.toString()).contains("policy_session_lost");
    await(http.close());
  }

  private record Cluster(
      Vertx policyNode,
      WebClient client,
      FakeUpstream upstream,
      int gatewayPort,
      int metricsPort) {}

  /** How many members the gateway's node sees, from its /health. */
  private static int clusterMembers(Cluster cluster) {
    HttpResponse<Buffer> health =
        await(cluster.client.get(cluster.metricsPort, "127.0.0.1", "/health").send());
    return health.bodyAsJsonObject().getInteger("cluster_members", -1);
  }

  private interface UpstreamSetup {
    void apply(FakeUpstream upstream);
  }

  private Cluster start(UpstreamSetup setup) throws Exception {
    Vertx clientVertx = track(Vertx.vertx());
    FakeUpstream upstream = await(FakeUpstream.start(clientVertx));
    setup.apply(upstream);
    int policyClusterPort = NodeFixture.freePort();
    int gatewayClusterPort = NodeFixture.freePort();
    int gatewayPort = NodeFixture.freePort();
    int metricsPort = NodeFixture.freePort();
    String members = "127.0.0.1:" + policyClusterPort + ",127.0.0.1:" + gatewayClusterPort;
    String clusterName = "luthien-test-" + System.nanoTime();
    Vertx policyNode =
        track(
            NodeFixture.startNode(
                List.of("--roles", "policy"),
                NodeFixture.env(
                    "CLUSTER_MEMBERS", members,
                    "CLUSTER_PORT", policyClusterPort,
                    "CLUSTER_NAME", clusterName,
                    "POLICY_CONFIG", NodeFixture.allCapsPolicyFile())));
    track(
        NodeFixture.startNode(
            List.of("--roles", "gateway"),
            NodeFixture.env(
                "CLUSTER_MEMBERS", members,
                "CLUSTER_PORT", gatewayClusterPort,
                "CLUSTER_NAME", clusterName,
                "GATEWAY_PORT", gatewayPort,
                "GATEWAY_INSTANCES", 1,
                "METRICS_PORT", metricsPort,
                "OPENAI_BASE_URL", upstream.baseUrl())));
    return new Cluster(
        policyNode, WebClient.create(clientVertx), upstream, gatewayPort, metricsPort);
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      LocalServices.sleep(20);
    }
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }
}
