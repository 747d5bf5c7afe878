package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code AUTH_MODE}: whose credential reaches the provider, with each kind of client credential.
 */
class AuthModesTest {

  static final String PROXY_KEY = "proxy-key-for-tests";
  static final String SERVER_OPENAI_KEY = "sk-upstream-secret";
  static final String SERVER_ANTHROPIC_KEY = "sk-ant-api03-server-key";
  static final String CLIENT_ANTHROPIC_KEY = "sk-ant-api03-client-own-key";
  static final String CLIENT_OAUTH_TOKEN = "sk-ant-oat01-client-subscription-token";
  static final String CLIENT_OPENAI_KEY = "sk-proj-client-own-openai-key";
  static final String OAUTH_BETA = "oauth-2025-04-20,claude-code-20250219";

  private final Vertx vertx = Vertx.vertx();
  private FakeAnthropicUpstream anthropic;
  private GatewayFixture gateway;

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private void start(String mode, boolean serverKeys) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    JsonObject config =
        new JsonObject()
            .put("AUTH_MODE", mode)
            .put("PROXY_API_KEY", PROXY_KEY)
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    if (serverKeys) {
      config.put("ANTHROPIC_API_KEY", SERVER_ANTHROPIC_KEY);
    } else {
      config.putNull("OPENAI_API_KEY");
    }
    gateway = GatewayFixture.start(vertx, TestPolicyNode.Mode.PASS, config);
  }

  static JsonObject messages(String model) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 32)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello")));
  }

  static JsonObject countRequest(String model) {
    JsonObject request = messages(model);
    request.remove("max_tokens");
    return request;
  }

  private HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return await(request.sendJsonObject(body));
  }

  private HttpRequest<Buffer> anthropicClient(String path) {
    return gateway.web.post(path).putHeader("anthropic-version", "2023-06-01");
  }

  @Test
  @DisplayName(
      "client_key (the default): the proxy key is checked and the server's keys go upstream")
  void clientKeyMode() {
    start("client_key", true);

    HttpResponse<Buffer> missing = send(anthropicClient("/v1/messages"), messages("claude-x"));
    HttpResponse<Buffer> wrong =
        send(
            anthropicClient("/v1/messages").putHeader("x-api-key", CLIENT_ANTHROPIC_KEY),
            messages("claude-x"));
    HttpResponse<Buffer> proxy =
        send(
            anthropicClient("/v1/messages").putHeader("x-api-key", PROXY_KEY),
            messages("claude-x"));

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("authentication_error");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(proxy.statusCode()).as(proxy.bodyAsString()).isEqualTo(200);
    assertThat(anthropic.requestHeaders()).hasSize(1);
    assertThat(anthropic.requestHeaders().get(0).get("x-api-key")).isEqualTo(SERVER_ANTHROPIC_KEY);
    assertThat(anthropic.requestHeaders().get(0).get("authorization")).isNull();
  }

  @Test
  @DisplayName(
      "passthrough: an x-api-key goes to Anthropic as x-api-key, never with the server's key")
  void passthroughApiKeyToAnthropic() {
    start("passthrough", true);

    HttpResponse<Buffer> response =
        send(
            anthropicClient("/v1/messages").putHeader("x-api-key", CLIENT_ANTHROPIC_KEY),
            messages("claude-x"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    MultiMap sent = anthropic.requestHeaders().get(0);
    assertThat(sent.get("x-api-key")).isEqualTo(CLIENT_ANTHROPIC_KEY);
    assertThat(sent.get("authorization")).isNull();
  }

  @Test
  @DisplayName(
      "passthrough: Claude Code's subscription Bearer token reaches Anthropic as Authorization with"
          + " its anthropic-beta, whole, streamed and in count_tokens, with no server key configured")
  void passthroughOAuthToAnthropic() {
    start("passthrough", false);

    HttpResponse<Buffer> whole =
        send(
            anthropicClient("/v1/messages")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN)
                .putHeader("anthropic-beta", OAUTH_BETA),
            messages("claude-x"));
    HttpResponse<Buffer> streamed =
        send(
            anthropicClient("/v1/messages")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN)
                .putHeader("anthropic-beta", OAUTH_BETA),
            messages("claude-x").put("stream", true));
    HttpResponse<Buffer> counted =
        send(
            anthropicClient("/v1/messages/count_tokens")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN)
                .putHeader("anthropic-beta", OAUTH_BETA),
            countRequest("claude-x"));

    assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(200);
    assertThat(streamed.statusCode()).as(streamed.bodyAsString()).isEqualTo(200);
    assertThat(streamed.bodyAsString()).contains("message_stop");
    assertThat(counted.statusCode()).as(counted.bodyAsString()).isEqualTo(200);
    assertThat(anthropic.requestHeaders()).hasSize(3);
    for (MultiMap sent : anthropic.requestHeaders()) {
      assertThat(sent.get("authorization")).isEqualTo("Bearer " + CLIENT_OAUTH_TOKEN);
      assertThat(sent.get("anthropic-beta")).isEqualTo(OAUTH_BETA);
      assertThat(sent.get("x-api-key")).isNull();
    }
  }

  @Test
  @DisplayName(
      "passthrough: an OpenAI client's Claude subscription token reaches Anthropic as Authorization"
          + " with the oauth beta added; its Anthropic API key as x-api-key")
  void openAiClientWithAnthropicCredentials() {
    start("passthrough", true);

    HttpResponse<Buffer> oauth =
        send(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN),
            GatewayFixture.chat("claude-x", "hi"));
    HttpResponse<Buffer> apiKey =
        send(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + CLIENT_ANTHROPIC_KEY),
            GatewayFixture.chat("claude-x", "hi"));

    assertThat(oauth.statusCode()).as(oauth.bodyAsString()).isEqualTo(200);
    assertThat(apiKey.statusCode()).as(apiKey.bodyAsString()).isEqualTo(200);
    MultiMap first = anthropic.requestHeaders().get(0);
    assertThat(first.get("authorization")).isEqualTo("Bearer " + CLIENT_OAUTH_TOKEN);
    assertThat(first.get("anthropic-beta")).isEqualTo("oauth-2025-04-20");
    assertThat(first.get("x-api-key")).isNull();
    MultiMap second = anthropic.requestHeaders().get(1);
    assertThat(second.get("x-api-key")).isEqualTo(CLIENT_ANTHROPIC_KEY);
    assertThat(second.get("authorization")).isNull();
    assertThat(second.get("anthropic-beta")).isNull();
  }

  @Test
  @DisplayName("passthrough: an OpenAI client's Bearer key reaches an OpenAI-compatible provider")
  void passthroughBearerToOpenAi() {
    start("passthrough", true);

    HttpResponse<Buffer> response =
        send(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + CLIENT_OPENAI_KEY),
            GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(gateway.upstream.requestHeaders().get(0).get("authorization"))
        .isEqualTo("Bearer " + CLIENT_OPENAI_KEY);
  }

  @Test
  @DisplayName(
      "passthrough: an Anthropic credential for a model on an OpenAI-compatible provider is a 401"
          + " credential_not_forwardable, and nothing goes upstream")
  void anthropicCredentialCannotCallOpenAi() {
    start("passthrough", true);

    HttpResponse<Buffer> response =
        send(
            anthropicClient("/v1/messages")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN),
            messages("gpt-4o"));

    assertThat(response.statusCode()).isEqualTo(401);
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getJsonObject("error").getString("type")).isEqualTo("authentication_error");
    assertThat(error.getJsonObject("error").getString("message"))
        .contains("gpt-4o", "openai", "Anthropic credential")
        .doesNotContain(CLIENT_OAUTH_TOKEN);
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("passthrough and both: a request with no credential is a 401 missing_api_key")
  void passthroughNeedsACredential() {
    start("passthrough", true);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("missing_api_key");
  }

  @Test
  @DisplayName(
      "both: the proxy key uses the server's provider key; any other credential is passed through")
  void bothModes() {
    start("both", true);

    HttpResponse<Buffer> proxy =
        send(
            anthropicClient("/v1/messages").putHeader("x-api-key", PROXY_KEY),
            messages("claude-x"));
    HttpResponse<Buffer> own =
        send(
            anthropicClient("/v1/messages")
                .putHeader("Authorization", "Bearer " + CLIENT_OAUTH_TOKEN)
                .putHeader("anthropic-beta", OAUTH_BETA),
            messages("claude-x"));
    HttpResponse<Buffer> openAiProxy =
        send(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + PROXY_KEY),
            GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(proxy.statusCode()).isEqualTo(200);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(openAiProxy.statusCode()).isEqualTo(200);
    assertThat(anthropic.requestHeaders().get(0).get("x-api-key")).isEqualTo(SERVER_ANTHROPIC_KEY);
    assertThat(anthropic.requestHeaders().get(1).get("authorization"))
        .isEqualTo("Bearer " + CLIENT_OAUTH_TOKEN);
    assertThat(anthropic.requestHeaders().get(1).get("x-api-key")).isNull();
    assertThat(gateway.upstream.requestHeaders().get(0).get("authorization"))
        .isEqualTo("Bearer " + SERVER_OPENAI_KEY);
  }

  @Test
  @DisplayName(
      "AUTH_MODE=both without PROXY_API_KEY, or an unknown mode, stops the gateway's start")
  void misconfiguredModesStopTheStart() {
    JsonObject both = new JsonObject().put("AUTH_MODE", "both").put("GATEWAY_PORT", "0");
    JsonObject unknown = new JsonObject().put("AUTH_MODE", "open").put("GATEWAY_PORT", "0");

    assertThatThrownBy(
            () ->
                await(
                    vertx.deployVerticle(
                        new GatewayVerticle(), new DeploymentOptions().setConfig(both))))
        .hasMessageContaining("PROXY_API_KEY");
    assertThatThrownBy(
            () ->
                await(
                    vertx.deployVerticle(
                        new GatewayVerticle(), new DeploymentOptions().setConfig(unknown))))
        .hasMessageContaining("AUTH_MODE")
        .hasMessageContaining("client_key, passthrough, both");
  }
}
