package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddedNodeTest {

  private Vertx node;
  private Vertx clientVertx;

  @AfterEach
  void stop() {
    if (node != null) {
      await(node.close());
    }
    if (clientVertx != null) {
      await(clientVertx.close());
    }
  }

  @ParameterizedTest(name = "model {0}, stream {1}")
  @CsvSource({"mock, false", "mock, true", "gpt-4o, false", "gpt-4o, true"})
  @DisplayName(
      "the embedded default runs gateway and policy in one JVM: AllCapsPolicy shapes mock and upstream answers")
  void allRolesInOneJvm(String model, boolean stream) throws Exception {
    clientVertx = Vertx.vertx();
    FakeUpstream upstream = await(FakeUpstream.start(clientVertx)).streamChunks(3, 1);
    int port = NodeFixture.freePort();
    node =
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT", port,
                "DEBUG_PORT", NodeFixture.freePort(),
                "DATABASE_URL", LocalServices.POSTGRES_URL,
                "OPENAI_BASE_URL", upstream.baseUrl(),
                "POLICY_CONFIG", NodeFixture.allCapsPolicyFile()));
    WebClient client =
        WebClient.create(
            clientVertx, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));

    HttpResponse<Buffer> response =
        await(
            client
                .post("/v1/chat/completions")
                .sendJsonObject(NodeFixture.chat(model, "make this loud", stream)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
    String expected =
        model.equals("mock")
            ? "MAKE THIS LOUD"
            : stream ? "PART0 PART1 PART2 " : "FAKE REPLY TO: MAKE THIS LOUD";
    assertThat(NodeFixture.assistantText(response.bodyAsString(), stream)).isEqualTo(expected);
    if (stream) {
      assertThat(response.bodyAsString()).endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  @DisplayName(
      "a node whose gateway cannot bind its port fails to start at once, saying why, and does not hang")
  void failedStartFailsPromptly() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Node.start(
              NodeOptions.parse(
                  List.of("--roles", "gateway,policy"),
                  NodeFixture.env(
                      "GATEWAY_PORT",
                      taken.getLocalPort(),
                      "METRICS_PORT",
                      "0",
                      "RECORDING_ENABLED",
                      "false",
                      "CLUSTER_NAME",
                      "failed-start-" + System.nanoTime())))
          .onComplete(result -> outcome.complete(result.failed() ? result.cause() : null));

      Throwable failure = outcome.get(20, TimeUnit.SECONDS);

      assertThat(failure).as("the start failed").isNotNull();
      assertThat(failure.getMessage())
          .contains("127.0.0.1:" + taken.getLocalPort() + " (GATEWAY_PORT)");
    }
  }
}
