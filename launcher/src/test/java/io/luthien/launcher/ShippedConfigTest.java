package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShippedConfigTest {

  private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

  @Test
  @DisplayName(
      "the example routes and policy files in config/ start a node that serves the mock model and"
          + " lists what it can reach")
  void examplesStartANode() throws Exception {
    int port = NodeFixture.freePort();
    Vertx node =
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                port,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "DATABASE_URL",
                LocalServices.POSTGRES_URL,
                "ROUTES_CONFIG",
                CONFIG.resolve("routes.example.yaml"),
                "POLICY_CONFIG",
                CONFIG.resolve("policy.allcaps.yaml"),
                "LOCAL_VLLM_API_KEY",
                "sk-local"));
    try {
      WebClient client =
          WebClient.create(
              node, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));

      HttpResponse<Buffer> models = await(client.get("/v1/models").send());
      HttpResponse<Buffer> completion =
          await(
              client
                  .post("/v1/chat/completions")
                  .sendJsonObject(NodeFixture.chat("mock-large", "from the examples", false)));

      assertThat(
              models.bodyAsJsonObject().getJsonArray("data").stream()
                  .map(model -> ((io.vertx.core.json.JsonObject) model).getString("id")))
          .as("the exact models whose provider has its key")
          .containsExactly("mock", "house-llama");
      assertThat(models.bodyAsJsonObject().getJsonObject("luthien").getJsonArray("routes"))
          .contains(
              new io.vertx.core.json.JsonObject()
                  .put("model", "claude-eu-*")
                  .put("provider", "anthropic-eu")
                  .put("reachable", false)
                  .put("missing", "set ANTHROPIC_EU_API_KEY"));
      assertThat(NodeFixture.assistantText(completion.bodyAsString(), false))
          .isEqualTo("FROM THE EXAMPLES");
    } finally {
      await(node.close());
    }
  }
}
