package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.gateway.api.CountTokensHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/messages/count_tokens}: Anthropic's own count for claude models, an estimate for
 * the others.
 */
@ExtendWith(VertxExtension.class)
class CountTokensTest {

  private static final String PATH = "/v1/messages/count_tokens";
  private static final String BETA = "token-counting-2024-11-01";

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture gateway(Vertx vertx, JsonObject extra) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret")
            .mergeIn(extra));
  }

  private static JsonObject count(String model, String text) {
    return new JsonObject()
        .put("model", model)
        .put("system", "You are Claude Code.")
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private static HttpResponse<Buffer> post(GatewayFixture gateway, String uri, JsonObject body) {
    return await(
        gateway
            .web
            .post(uri)
            .putHeader("anthropic-version", "2023-06-01")
            .putHeader("anthropic-beta", BETA)
            .sendJsonObject(body));
  }

  @Test
  @DisplayName(
      "a claude model's count is Anthropic's own: the request, its headers and ?beta=true are forwarded")
  void forwardedToAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());
    JsonObject request =
        count("claude-sonnet-4-5", "hello")
            .put(
                "tools",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "Bash")
                            .put("input_schema", new JsonObject().put("type", "object"))));

    HttpResponse<Buffer> response = post(gateway, PATH + "?beta=true", request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("input_tokens", FakeAnthropicUpstream.COUNTED_TOKENS));
    assertThat(response.getHeader(CountTokensHandler.ESTIMATE_HEADER)).isNull();
    assertThat(anthropic.requests()).containsExactly(request);
    assertThat(anthropic.requestUris()).containsExactly(PATH + "?beta=true");
    assertThat(anthropic.requestHeaders().get(0).get("anthropic-beta")).isEqualTo(BETA);
    assertThat(anthropic.requestHeaders().get(0).getAll("anthropic-version"))
        .containsExactly("2023-06-01");
    assertThat(anthropic.requestHeaders().get(0).get("x-api-key")).isEqualTo("sk-ant-secret");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a routed model is renamed on its way to Anthropic's count, as for a completion")
  void renamedModel(Vertx vertx, @TempDir Path dir) throws Exception {
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(
        routes,
        """
        routes:
          - model: house-claude
            provider: anthropic
            upstream_model: claude-opus-4-1
        """);
    GatewayFixture gateway =
        gateway(vertx, new JsonObject().put("ROUTES_CONFIG", routes.toString()));

    HttpResponse<Buffer> response = post(gateway, PATH, count("house-claude", "hello"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(anthropic.requests().get(0).getString("model")).isEqualTo("claude-opus-4-1");
  }

  @Test
  @DisplayName(
      "Anthropic's error on a count reaches the client in Anthropic's error shape with its status")
  void anthropicError(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());
    anthropic.failWith(429, "rate_limit_error");

    HttpResponse<Buffer> response = post(gateway, PATH, count("claude-sonnet-4-5", "hello"));

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("error");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("rate_limit_error");
  }

  @Test
  @DisplayName(
      "a model on an OpenAI-compatible backend gets a tokenizer estimate, marked as one, and nothing goes upstream")
  void estimateForOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());

    HttpResponse<Buffer> shortText = post(gateway, PATH, count("gpt-4o-mini", "hello world"));
    HttpResponse<Buffer> longText =
        post(
            gateway,
            PATH,
            count("gpt-4o-mini", String.join(" ", Collections.nCopies(100, "hello world"))));

    assertThat(shortText.statusCode()).as(shortText.bodyAsString()).isEqualTo(200);
    assertThat(shortText.getHeader(CountTokensHandler.ESTIMATE_HEADER)).isEqualTo("estimate");
    long few = shortText.bodyAsJsonObject().getLong("input_tokens");
    long many = longText.bodyAsJsonObject().getLong("input_tokens");
    // o200k_base: "You are Claude Code." is 5 tokens, "hello world" 2 (and each " hello world"
    // after it too),
    // "user" 1; 3 per message and 3 priming
    assertThat(few).isEqualTo(5 + 3 + 1 + 2 + 3);
    assertThat(many - few).isEqualTo(200 - 2);
    assertThat(gateway.upstream.requests()).isEmpty();
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName("the mock model is estimated too")
  void estimateForMock(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());

    HttpResponse<Buffer> response = post(gateway, PATH, count("mock", "hello world"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getLong("input_tokens")).isPositive();
    assertThat(response.getHeader(CountTokensHandler.ESTIMATE_HEADER)).isEqualTo("estimate");
  }

  @Test
  @DisplayName(
      "a count needs no max_tokens, but a missing model or messages is a 400 in Anthropic's shape naming it")
  void badInput(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject());
    JsonObject noModel = count("claude-sonnet-4-5", "hi");
    noModel.remove("model");
    JsonObject noMessages = count("claude-sonnet-4-5", "hi");
    noMessages.remove("messages");

    HttpResponse<Buffer> missingModel = post(gateway, PATH, noModel);
    HttpResponse<Buffer> missingMessages = post(gateway, PATH, noMessages);
    HttpResponse<Buffer> notJson =
        await(
            gateway
                .web
                .post(PATH)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"model\":")));

    assertThat(missingModel.statusCode()).isEqualTo(400);
    assertThat(missingModel.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("missing required field 'model'");
    assertThat(missingMessages.statusCode()).isEqualTo(400);
    assertThat(missingMessages.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("missing required field 'messages'");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("type")).isEqualTo("error");
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName("the proxy key guards count_tokens like every /v1 path")
  void needsProxyKey(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject().put("PROXY_API_KEY", "sk-proxy"));

    HttpResponse<Buffer> without = post(gateway, PATH, count("claude-sonnet-4-5", "hi"));
    HttpResponse<Buffer> with =
        await(
            gateway
                .web
                .post(PATH)
                .putHeader("x-api-key", "sk-proxy")
                .sendJsonObject(count("claude-sonnet-4-5", "hi")));

    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(with.statusCode()).isEqualTo(200);
  }
}
