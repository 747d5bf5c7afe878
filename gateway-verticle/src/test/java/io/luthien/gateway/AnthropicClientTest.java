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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/messages}: an Anthropic client, against an Anthropic backend and against an
 * OpenAI one.
 */
@ExtendWith(VertxExtension.class)
class AnthropicClientTest {

  private static final String CLAUDE = "claude-sonnet-4-5";
  private static final String GPT = "gpt-4o-mini";
  private static final JsonObject WEATHER_TOOL =
      new JsonObject()
          .put("name", "get_weather")
          .put("description", "Weather in a city")
          .put(
              "input_schema",
              new JsonObject()
                  .put("type", "object")
                  .put(
                      "properties",
                      new JsonObject().put("city", new JsonObject().put("type", "string"))));

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture gateway(Vertx vertx, Mode mode) {
    return gateway(vertx, mode, new JsonObject());
  }

  private GatewayFixture gateway(Vertx vertx, Mode mode, JsonObject extra) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    return GatewayFixture.start(
        vertx,
        mode,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret")
            .mergeIn(extra));
  }

  private static JsonObject messages(String model, String text) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 512)
        .put("system", "be brief")
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private static HttpResponse<Buffer> post(GatewayFixture gateway, JsonObject body) {
    return await(
        gateway
            .web
            .post("/v1/messages")
            .putHeader("anthropic-version", "2023-06-01")
            .sendJsonObject(body));
  }

  private static AnthropicStreamRead stream(GatewayFixture gateway, JsonObject body) {
    SseTestClient client =
        SseTestClient.open(
            gateway.http, gateway.port, "/v1/messages", body.copy().put("stream", true));
    client.awaitEnd();
    assertThat(client.response.statusCode()).as(client.rawText()).isEqualTo(200);
    assertThat(client.response.getHeader("content-type")).startsWith("text/event-stream");
    return AnthropicStreamRead.of(client.rawText());
  }

  private static JsonObject withoutStream(JsonObject request) {
    JsonObject copy = request.copy();
    copy.remove("stream");
    return copy;
  }

  @Test
  @DisplayName(
      "Anthropic to Anthropic: the request reaches the backend as the client sent it, the message comes back")
  void anthropicBackendWhole(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    JsonObject request =
        messages(CLAUDE, "hello")
            .put("top_k", 5)
            .put("metadata", new JsonObject().put("user_id", "u-1"));

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(withoutStream(anthropic.requests().get(0))).isEqualTo(request);
    JsonObject message = response.bodyAsJsonObject();
    assertThat(message.getString("id")).isEqualTo(FakeAnthropicUpstream.MESSAGE_ID);
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getJsonArray("content"))
        .containsExactly(new JsonObject().put("type", "text").put("text", "Hello from Claude"));
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(12);
    assertThat(message.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(7);
    assertThat(message.encode()).doesNotContain("x_anthropic");
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
  }

  @Test
  @DisplayName(
      "Anthropic to Anthropic with tools: thinking, tool_use/tool_result and an unknown block pass unchanged")
  void anthropicBackendToolsAndBlocks(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    JsonArray history =
        new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "weather in Paris?"))
            .add(
                new JsonObject()
                    .put("role", "assistant")
                    .put(
                        "content",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("type", "thinking")
                                    .put("thinking", "I should call the tool")
                                    .put("signature", "sig-abc"))
                            .add(
                                new JsonObject()
                                    .put("type", "tool_use")
                                    .put("id", "toolu_01A")
                                    .put("name", "get_weather")
                                    .put("input", new JsonObject().put("city", "Paris")))))
            .add(
                new JsonObject()
                    .put("role", "user")
                    .put(
                        "content",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("type", "tool_result")
                                    .put("tool_use_id", "toolu_01A")
                                    .put("content", "18°C"))
                            .add(
                                new JsonObject()
                                    .put("type", "tool_result")
                                    .put("tool_use_id", "toolu_unknown")
                                    .put("content", "orphan"))
                            .add(
                                new JsonObject()
                                    .put("type", "future_block")
                                    .put("payload", new JsonObject().put("x", 1)))
                            .add(
                                new JsonObject()
                                    .put("type", "text")
                                    .put("text", "and tomorrow?"))));
    JsonObject request =
        new JsonObject()
            .put("model", CLAUDE)
            .put("max_tokens", 512)
            .put("tools", new JsonArray().add(WEATHER_TOOL))
            .put("tool_choice", new JsonObject().put("type", "auto"))
            .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 1024))
            .put("messages", history);

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(withoutStream(anthropic.requests().get(0))).isEqualTo(request);
    assertThat(response.bodyAsJsonObject().getString("stop_reason")).isEqualTo("end_turn");
  }

  @Test
  @DisplayName(
      "Anthropic to Anthropic, a tool call answered: the tool_use block keeps its toolu_ id and input")
  void anthropicBackendToolUse(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        post(gateway, messages(CLAUDE, "weather?").put("tools", new JsonArray().add(WEATHER_TOOL)));

    JsonObject message = response.bodyAsJsonObject();
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    JsonArray content = message.getJsonArray("content");
    assertThat(content.getJsonObject(0).getString("text")).isEqualTo("Hello from Claude");
    assertThat(content.getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("type", "tool_use")
                .put("id", FakeAnthropicUpstream.TOOL_USE_ID)
                .put("name", "get_weather")
                .put("input", new JsonObject().put("city", "Paris")));
  }

  @Test
  @DisplayName(
      "Anthropic to Anthropic, streamed: the full event lifecycle, text then tool_use, no [DONE]")
  void anthropicBackendStream(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);

    AnthropicStreamRead plain = stream(gateway, messages(CLAUDE, "hello"));
    AnthropicStreamRead tool =
        stream(
            gateway, messages(CLAUDE, "weather?").put("tools", new JsonArray().add(WEATHER_TOOL)));

    assertThat(plain.wellFormedBlocks()).containsExactly("text");
    assertThat(plain.types()).startsWith("message_start", "ping");
    assertThat(plain.text()).isEqualTo("Hello from Claude");
    assertThat(plain.first("message_start").getJsonObject("message").getString("id"))
        .isEqualTo(FakeAnthropicUpstream.MESSAGE_ID);
    assertThat(plain.first("message_delta").getJsonObject("delta").getString("stop_reason"))
        .isEqualTo("end_turn");
    assertThat(plain.first("message_delta").getJsonObject("usage").getInteger("output_tokens"))
        .isEqualTo(7);
    assertThat(tool.wellFormedBlocks()).containsExactly("text", "tool_use");
    JsonObject toolBlock =
        tool.events().stream()
            .filter(
                event ->
                    "content_block_start".equals(event.getString("type"))
                        && event.getInteger("index") == 1)
            .findFirst()
            .orElseThrow()
            .getJsonObject("content_block");
    assertThat(toolBlock.getString("id")).isEqualTo(FakeAnthropicUpstream.TOOL_USE_ID);
    assertThat(toolBlock.getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(tool.toolInput())).isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(tool.first("message_delta").getJsonObject("delta").getString("stop_reason"))
        .isEqualTo("tool_use");
  }

  @Test
  @DisplayName(
      "the client's anthropic-beta header reaches an Anthropic backend, whole and streamed, and no OpenAI one")
  void betaHeader(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    String beta = "interleaved-thinking-2025-05-14,context-management-2025-06-27";

    HttpResponse<Buffer> toAnthropic =
        await(
            gateway
                .web
                .post("/v1/messages")
                .putHeader("anthropic-beta", beta)
                .sendJsonObject(messages(CLAUDE, "hello")));
    SseTestClient streamed =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages",
            messages(CLAUDE, "hello").put("stream", true),
            Map.of("anthropic-beta", beta));
    streamed.awaitEnd();
    HttpResponse<Buffer> toOpenAi =
        await(
            gateway
                .web
                .post("/v1/messages")
                .putHeader("anthropic-beta", beta)
                .sendJsonObject(messages(GPT, "hello")));

    assertThat(toAnthropic.statusCode()).isEqualTo(200);
    assertThat(streamed.response.statusCode()).isEqualTo(200);
    assertThat(anthropic.requestHeaders())
        .hasSize(2)
        .allSatisfy(headers -> assertThat(headers.get("anthropic-beta")).isEqualTo(beta));
    assertThat(anthropic.requests())
        .allSatisfy(sent -> assertThat(sent.encode()).doesNotContain("x_anthropic"));
    assertThat(toOpenAi.statusCode()).isEqualTo(200);
    assertThat(gateway.upstream.requestHeaders().get(0).get("anthropic-beta")).isNull();
    assertThat(gateway.upstream.requests().get(0).encode())
        .doesNotContain("x_anthropic")
        .doesNotContain(beta);
  }

  @Test
  @DisplayName(
      "Anthropic client to an OpenAI backend: system and max_tokens translated, the answer comes back as a message")
  void openAiBackendWhole(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);

    HttpResponse<Buffer> response = post(gateway, messages(GPT, "hello"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("role"))
        .isEqualTo("system");
    assertThat(sent.getJsonArray("messages").getJsonObject(1).getString("role")).isEqualTo("user");
    assertThat(sent.encode()).doesNotContain("x_anthropic");
    JsonObject message = response.bodyAsJsonObject();
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("id")).startsWith("msg_");
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("fake reply to: hello");
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(7);
    assertThat(message.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(4);
  }

  @Test
  @DisplayName(
      "Anthropic client to an OpenAI backend with tool_choice any: the tool call becomes a tool_use with a toolu_ id")
  void openAiBackendTools(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    JsonObject request =
        messages(GPT, "weather?")
            .put("tools", new JsonArray().add(WEATHER_TOOL))
            .put("tool_choice", new JsonObject().put("type", "any"));

    HttpResponse<Buffer> response = post(gateway, request);
    AnthropicStreamRead streamed = stream(gateway, request);

    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getValue("tool_choice")).isEqualTo("required");
    assertThat(
            sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
        .isEqualTo("get_weather");
    JsonObject message = response.bodyAsJsonObject();
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    JsonObject toolUse =
        message.getJsonArray("content").stream()
            .map(JsonObject.class::cast)
            .filter(block -> "tool_use".equals(block.getString("type")))
            .findFirst()
            .orElseThrow();
    assertThat(toolUse.getString("id")).isEqualTo("toolu_fake1");
    assertThat(toolUse.getJsonObject("input")).isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(streamed.wellFormedBlocks()).endsWith("tool_use");
    assertThat(new JsonObject(streamed.toolInput()))
        .isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(streamed.first("message_delta").getJsonObject("delta").getString("stop_reason"))
        .isEqualTo("tool_use");
  }

  @Test
  @DisplayName(
      "Anthropic client to an OpenAI backend, streamed: OpenAI chunks become the Anthropic lifecycle")
  void openAiBackendStream(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    gateway.upstream.streamChunks(4, 0);

    AnthropicStreamRead read = stream(gateway, messages(GPT, "hello"));

    assertThat(read.wellFormedBlocks()).containsExactly("text");
    assertThat(read.text()).isEqualTo("part0 part1 part2 part3 ");
    assertThat(read.first("message_delta").getJsonObject("delta").getString("stop_reason"))
        .isEqualTo("end_turn");
  }

  @Test
  @DisplayName(
      "the built-in mock provider answers an Anthropic client too, whole and streamed, without any network")
  void mockProvider(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);

    HttpResponse<Buffer> whole = post(gateway, messages("mock", "hello mock world"));
    AnthropicStreamRead streamed = stream(gateway, messages("mock", "hello mock world"));

    assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(200);
    JsonObject message = whole.bodyAsJsonObject();
    String text = message.getJsonArray("content").getJsonObject(0).getString("text");
    assertThat(text).contains("hello mock world");
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getJsonObject("usage").getInteger("output_tokens")).isPositive();
    assertThat(streamed.wellFormedBlocks()).containsExactly("text");
    assertThat(streamed.text()).isEqualTo(text);
    assertThat(anthropic.requests()).isEmpty();
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "policies see the canonical shape: an upper-casing policy works for an Anthropic client, whole and streamed")
  void policiesWorkForAnthropicClients(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.UPPERCASE);

    HttpResponse<Buffer> whole = post(gateway, messages(CLAUDE, "hello"));
    AnthropicStreamRead streamed = stream(gateway, messages(CLAUDE, "hello"));

    assertThat(whole.bodyAsJsonObject().getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("HELLO FROM CLAUDE");
    assertThat(streamed.text()).isEqualTo("HELLO FROM CLAUDE");
    assertThat(gateway.policy.received.get(0).getString("api")).isEqualTo("anthropic");
  }

  @Test
  @DisplayName("a request the policy blocks is a 403 in Anthropic's error shape")
  void blocked(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.BLOCK);

    HttpResponse<Buffer> response = post(gateway, messages(CLAUDE, "hello"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("error");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("permission_error");
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "missing max_tokens is a 400 naming it, in Anthropic's shape, and nothing goes upstream")
  void missingMaxTokens(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    JsonObject request = messages(CLAUDE, "hello");
    request.remove("max_tokens");

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).contains("max_tokens");
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  @DisplayName("malformed JSON on /v1/messages is a 400 in Anthropic's shape")
  void malformedJson(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        await(
            gateway
                .web
                .post("/v1/messages")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{not json")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
  }

  @Test
  @DisplayName(
      "a block type with no OpenAI form is a 400 naming the type for an OpenAI backend, and nothing goes upstream")
  void unknownBlockToOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    JsonObject request =
        new JsonObject()
            .put("model", GPT)
            .put("max_tokens", 100)
            .put(
                "messages",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "future_block")
                                            .put("payload", 1)))));

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("future_block");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "an upstream error reaches the Anthropic client in its own shape with the upstream status, from either backend")
  void upstreamErrors(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    anthropic.failWith(529, "overloaded_error");
    gateway.upstream.failWith(
        429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\"}}");

    HttpResponse<Buffer> fromAnthropic = post(gateway, messages(CLAUDE, "hello"));
    HttpResponse<Buffer> fromOpenAi = post(gateway, messages(GPT, "hello"));

    assertThat(fromAnthropic.statusCode()).isEqualTo(529);
    assertThat(fromAnthropic.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("overloaded_error");
    assertThat(fromOpenAi.statusCode()).isEqualTo(429);
    assertThat(fromOpenAi.bodyAsJsonObject().getString("type")).isEqualTo("error");
    assertThat(fromOpenAi.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("rate_limit_error");
    assertThat(fromOpenAi.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("slow down");
  }

  @Test
  @DisplayName(
      "an error event in the middle of an Anthropic stream ends the client's stream with an error event")
  void errorMidStream(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, Mode.PASS);
    anthropic.errorMidStream();

    SseTestClient client =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages",
            messages(CLAUDE, "hello").put("stream", true));
    client.awaitEnd();
    List<String> types = AnthropicStreamRead.of(client.rawText()).types();

    assertThat(types.get(0)).isEqualTo("message_start");
    assertThat(types.get(types.size() - 1)).isEqualTo("error");
    assertThat(client.rawText()).contains("overloaded_error").doesNotContain("[DONE]");
  }

  @Test
  @DisplayName(
      "with PROXY_API_KEY, /v1/messages takes x-api-key and answers a missing key in Anthropic's shape")
  void apiKey(Vertx vertx) {
    GatewayFixture gateway =
        gateway(vertx, Mode.PASS, new JsonObject().put("PROXY_API_KEY", "sk-gateway"));

    HttpResponse<Buffer> without = post(gateway, messages(CLAUDE, "hello"));
    HttpResponse<Buffer> with =
        await(
            gateway
                .web
                .post("/v1/messages")
                .putHeader("x-api-key", "sk-gateway")
                .putHeader("anthropic-version", "2023-06-01")
                .sendJsonObject(messages(CLAUDE, "hello")));

    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("authentication_error");
    assertThat(with.statusCode()).isEqualTo(200);
  }
}
