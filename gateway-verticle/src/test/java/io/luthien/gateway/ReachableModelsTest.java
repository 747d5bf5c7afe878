package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose provider has no key is never sent upstream, and {@code GET /v1/models} says what
 * can be reached.
 */
@ExtendWith(VertxExtension.class)
class ReachableModelsTest {

  /** The built-in providers at their public addresses, without keys: what a fresh machine has. */
  private static GatewayFixture keyless(Vertx vertx) {
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("OPENAI_BASE_URL", GatewaySettings.OPENAI_PUBLIC_BASE_URL)
            .putNull("OPENAI_API_KEY"));
  }

  @Test
  @DisplayName(
      "a model routed to a provider without a key gets a 404 naming the model, the provider and the variable")
  void noKeyOpenAi(Vertx vertx) {
    GatewayFixture gateway = keyless(vertx);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gtp-4o", "hello"));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("provider_not_configured");
    assertThat(error.getString("param")).isEqualTo("model");
    assertThat(error.getString("message"))
        .contains("'gtp-4o'", "'openai'", "OPENAI_API_KEY", "GET /v1/models");
  }

  @Test
  @DisplayName(
      "an Anthropic client naming a claude model without ANTHROPIC_API_KEY gets the same, in Anthropic's shape")
  void noKeyAnthropic(Vertx vertx) {
    GatewayFixture gateway = keyless(vertx);
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-5")
            .put("max_tokens", 10)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

    HttpResponse<Buffer> response = await(gateway.web.post("/v1/messages").sendJsonObject(request));
    HttpResponse<Buffer> count =
        await(gateway.web.post("/v1/messages/count_tokens").sendJsonObject(request));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("'claude-sonnet-4-5'", "'anthropic'", "ANTHROPIC_API_KEY");
    assertThat(count.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName(
      "a declared provider whose api_key_env is unset is refused; one without api_key_env needs no key")
  void declaredProviders(Vertx vertx, @TempDir Path dir) throws Exception {
    FakeUpstream local = await(FakeUpstream.start(vertx));
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(
        routes,
        """
        providers:
          hosted:
            base_url: %s
            api_key_env: HOSTED_KEY_THAT_IS_NOT_SET
          local:
            base_url: %s
        routes:
          - model: hosted-model
            provider: hosted
          - model: local-model
            provider: local
        """
            .formatted(local.baseUrl(), local.baseUrl()));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("ROUTES_CONFIG", routes.toString()));

    HttpResponse<Buffer> hosted = gateway.post(GatewayFixture.chat("hosted-model", "hi"));
    HttpResponse<Buffer> localAnswer = gateway.post(GatewayFixture.chat("local-model", "hi"));

    assertThat(hosted.statusCode()).isEqualTo(404);
    assertThat(hosted.bodyAsString()).contains("HOSTED_KEY_THAT_IS_NOT_SET");
    assertThat(localAnswer.statusCode()).isEqualTo(200);
    assertThat(local.requests()).hasSize(1);
  }

  @Test
  @DisplayName(
      "GET /v1/models lists only reachable models, and its routes say what an unreachable one needs")
  void modelsSayWhatIsReachable(Vertx vertx) {
    GatewayFixture gateway = keyless(vertx);

    JsonObject list = await(gateway.web.get("/v1/models").send()).bodyAsJsonObject();

    assertThat(
            list.getJsonArray("data").stream().map(model -> ((JsonObject) model).getString("id")))
        .containsExactly("mock");
    JsonArray routes = list.getJsonObject("luthien").getJsonArray("routes");
    assertThat(routes)
        .contains(
            new JsonObject()
                .put("model", "claude-*")
                .put("provider", "anthropic")
                .put("reachable", false)
                .put("missing", "set ANTHROPIC_API_KEY"),
            new JsonObject()
                .put("model", "*")
                .put("provider", "openai")
                .put("reachable", false)
                .put("missing", "set OPENAI_API_KEY"),
            new JsonObject().put("model", "mock").put("provider", "mock").put("reachable", true));
  }

  @Test
  @DisplayName("an Anthropic client's GET /v1/models gets Anthropic's list shape")
  void anthropicModelsShape(Vertx vertx) {
    GatewayFixture gateway = keyless(vertx);

    JsonObject list =
        await(gateway.web.get("/v1/models").putHeader("anthropic-version", "2023-06-01").send())
            .bodyAsJsonObject();

    assertThat(list.getJsonArray("data").getJsonObject(0).getString("type")).isEqualTo("model");
    assertThat(list.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("mock");
    assertThat(list.getBoolean("has_more")).isFalse();
    assertThat(list.getString("first_id")).isEqualTo("mock");
  }

  @Test
  @DisplayName(
      "GET / says what the gateway is and where the pages and docs are, as JSON or as a page")
  void index(Vertx vertx) {
    GatewayFixture gateway = keyless(vertx);

    HttpResponse<Buffer> json = await(gateway.web.get("/").send());
    HttpResponse<Buffer> html = await(gateway.web.get("/").putHeader("accept", "text/html").send());

    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.bodyAsJsonObject().getString("service")).isEqualTo("luthien-gateway");
    assertThat(json.bodyAsJsonObject().getString("debug_pages"))
        .isEqualTo("http://127.0.0.1:8001/");
    assertThat(html.getHeader("content-type")).startsWith("text/html");
    assertThat(html.bodyAsString()).contains("/v1/messages", "http://127.0.0.1:8001/", "docs/");
  }
}
