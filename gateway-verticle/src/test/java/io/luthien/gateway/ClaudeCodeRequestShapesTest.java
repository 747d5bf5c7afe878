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
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request shapes Claude Code 2.1 sends: system messages inside {@code messages}, {@code
 * ?beta=true}, its own {@code anthropic-version} and {@code anthropic-beta}, and {@code
 * count_tokens} for {@code /context}.
 */
@ExtendWith(VertxExtension.class)
class ClaudeCodeRequestShapesTest {

  private static final String CLAUDE = "claude-sonnet-4-5";
  private static final String GPT = "gpt-4o-mini";
  private static final String BETA = "claude-code-20250219,mid-conversation-system-2026-01-01";

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture gateway(Vertx vertx) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret"));
  }

  /**
   * A user turn, an assistant turn, then a system message (with a cache_control'd block) and
   * another user turn.
   */
  private static JsonObject midConversationSystem(String model) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 256)
        .put("system", "You are Claude Code.")
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "list the files"))
                .add(
                    new JsonObject()
                        .put("role", "assistant")
                        .put("content", "There are two files."))
                .add(
                    new JsonObject()
                        .put("role", "system")
                        .put(
                            "content",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("type", "text")
                                        .put("text", "The user switched to plan mode.")
                                        .put(
                                            "cache_control",
                                            new JsonObject().put("type", "ephemeral")))))
                .add(new JsonObject().put("role", "user").put("content", "now plan the change")));
  }

  private static HttpResponse<Buffer> post(
      GatewayFixture gateway, String uri, JsonObject body, Map<String, String> headers) {
    var request = gateway.web.post(uri);
    headers.forEach(request::putHeader);
    return await(request.sendJsonObject(body));
  }

  @Test
  @DisplayName(
      "a system message inside messages reaches an Anthropic backend untouched, at its position")
  void midConversationSystemToAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request = midConversationSystem(CLAUDE);

    HttpResponse<Buffer> whole = post(gateway, "/v1/messages", request, Map.of());
    SseTestClient streamed =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages",
            request.copy().put("stream", true),
            Map.of());
    streamed.awaitEnd();

    assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(200);
    assertThat(streamed.response.statusCode()).as(streamed.rawText()).isEqualTo(200);
    assertThat(anthropic.requests())
        .hasSize(2)
        .allSatisfy(
            sent -> {
              JsonObject withoutStream = sent.copy();
              withoutStream.remove("stream");
              assertThat(withoutStream).isEqualTo(request);
            });
    assertThat(AnthropicStreamRead.of(streamed.rawText()).text()).isEqualTo("Hello from Claude");
  }

  @Test
  @DisplayName("a role the gateway does not know goes through to an Anthropic backend as it came")
  void unknownRoleToAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        new JsonObject()
            .put("model", CLAUDE)
            .put("max_tokens", 64)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "hi"))
                    .add(
                        new JsonObject()
                            .put("role", "observer")
                            .put("content", "a note")
                            .put("weight", 2)));

    HttpResponse<Buffer> response = post(gateway, "/v1/messages", request, Map.of());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = anthropic.requests().get(0).copy();
    sent.remove("stream");
    assertThat(sent).isEqualTo(request);
  }

  @Test
  @DisplayName(
      "a system message inside messages becomes an OpenAI system message at the same position")
  void midConversationSystemToOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response =
        post(gateway, "/v1/messages", midConversationSystem(GPT), Map.of());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray sent = gateway.upstream.requests().get(0).getJsonArray("messages");
    assertThat(sent.stream().map(message -> ((JsonObject) message).getString("role")))
        .containsExactly("system", "user", "assistant", "system", "user");
    assertThat(sent.getJsonObject(3).getJsonArray("content").getJsonObject(0))
        .isEqualTo(
            new JsonObject().put("type", "text").put("text", "The user switched to plan mode."));
    assertThat(sent.encode()).doesNotContain("x_anthropic");
  }

  @Test
  @DisplayName(
      "the client's anthropic-version, anthropic-beta and query string reach an Anthropic backend")
  void versionBetaAndQuery(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    Map<String, String> headers = Map.of("anthropic-version", "2025-01-01", "anthropic-beta", BETA);

    HttpResponse<Buffer> whole =
        post(gateway, "/v1/messages?beta=true", midConversationSystem(CLAUDE), headers);
    SseTestClient streamed =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages?beta=true",
            midConversationSystem(CLAUDE).put("stream", true),
            headers);
    streamed.awaitEnd();

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(streamed.response.statusCode()).isEqualTo(200);
    assertThat(anthropic.requestUris())
        .containsExactly("/v1/messages?beta=true", "/v1/messages?beta=true");
    assertThat(anthropic.requestHeaders())
        .allSatisfy(
            sent -> {
              assertThat(sent.getAll("anthropic-version")).containsExactly("2025-01-01");
              assertThat(sent.get("anthropic-beta")).isEqualTo(BETA);
            });
  }

  @Test
  @DisplayName(
      "without an anthropic-version from the client, an Anthropic backend gets 2023-06-01; no query, none added")
  void defaultVersion(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response =
        await(gateway.web.post("/v1/messages").sendJsonObject(midConversationSystem(CLAUDE)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(anthropic.requestHeaders().get(0).getAll("anthropic-version"))
        .containsExactly("2023-06-01");
    assertThat(anthropic.requestUris()).containsExactly("/v1/messages");
  }

  @Test
  @DisplayName("the query string and Anthropic headers never reach an OpenAI backend")
  void nothingAnthropicToOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response =
        post(
            gateway,
            "/v1/messages?beta=true",
            midConversationSystem(GPT),
            Map.of("anthropic-version", "2025-01-01", "anthropic-beta", BETA));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.upstream.requestHeaders().get(0).get("anthropic-version")).isNull();
    assertThat(gateway.upstream.requestHeaders().get(0).get("anthropic-beta")).isNull();
    assertThat(gateway.upstream.requests().get(0).encode())
        .doesNotContain("beta=true")
        .doesNotContain(BETA);
  }
}
