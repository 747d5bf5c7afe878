package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.gateway.api.AnthropicHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An OpenAI client calling a {@code claude-*} model: the Anthropic provider is called, the client
 * sees OpenAI.
 */
@ExtendWith(VertxExtension.class)
class OpenAiClientAnthropicBackendTest {

  private static final JsonObject WEATHER_TOOL =
      new JsonObject()
          .put("type", "function")
          .put(
              "function",
              new JsonObject()
                  .put("name", "get_weather")
                  .put("description", "Weather in a city")
                  .put(
                      "parameters",
                      new JsonObject()
                          .put("type", "object")
                          .put(
                              "properties",
                              new JsonObject()
                                  .put("city", new JsonObject().put("type", "string")))));

  private static GatewayFixture gateway(Vertx vertx, FakeAnthropicUpstream anthropic) {
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret"));
  }

  @Test
  @DisplayName(
      "a whole completion goes out as an Anthropic Messages request and comes back as an OpenAI completion")
  void whole(Vertx vertx) {
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = gateway(vertx, anthropic);
    JsonObject request = GatewayFixture.chat("claude-sonnet-4-5", "hello").put("max_tokens", 256);
    request
        .getJsonArray("messages")
        .add(0, new JsonObject().put("role", "system").put("content", "be brief"));

    HttpResponse<Buffer> response = gateway.post(request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = anthropic.requests().get(0);
    assertThat(sent.getString("model")).isEqualTo("claude-sonnet-4-5");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(256);
    assertThat(String.valueOf(sent.getValue("system"))).contains("be brief");
    assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(anthropic.requestHeaders().get(0).get("x-api-key")).isEqualTo("sk-ant-secret");
    assertThat(anthropic.requestHeaders().get(0).get("anthropic-version"))
        .isEqualTo(AnthropicHeaders.DEFAULT_VERSION);
    assertThat(anthropic.requestHeaders().get(0).get("Authorization")).isNull();

    JsonObject completion = response.bodyAsJsonObject();
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    assertThat(completion.getString("id")).isEqualTo("chatcmpl-01FakeMessage");
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Hello from Claude");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(completion.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(12);
    assertThat(completion.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(7);
    assertThat(completion.encode()).doesNotContain("x_anthropic");
  }

  @Test
  @DisplayName(
      "tools go out as Anthropic tools; the tool_use comes back as an OpenAI tool call with a call_ id")
  void wholeWithTools(Vertx vertx) {
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = gateway(vertx, anthropic);
    JsonObject request =
        GatewayFixture.chat("claude-sonnet-4-5", "weather in Paris?")
            .put("tools", new JsonArray().add(WEATHER_TOOL))
            .put("tool_choice", "required");

    HttpResponse<Buffer> response = gateway.post(request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = anthropic.requests().get(0);
    assertThat(sent.getJsonArray("tools").getJsonObject(0).getString("name"))
        .isEqualTo("get_weather");
    assertThat(
            sent.getJsonArray("tools")
                .getJsonObject(0)
                .getJsonObject("input_schema")
                .getString("type"))
        .isEqualTo("object");
    assertThat(sent.getJsonObject("tool_choice").getString("type")).isEqualTo("any");
    JsonObject choice = response.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("call_01FakeToolUse");
    assertThat(call.getString("type")).isEqualTo("function");
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("city", "Paris"));
  }

  @Test
  @DisplayName(
      "the tool result of the next turn reaches Anthropic as a tool_result with the toolu_ id")
  void toolResultTurn(Vertx vertx) {
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = gateway(vertx, anthropic);
    JsonObject call =
        new JsonObject()
            .put("id", "call_01FakeToolUse")
            .put("type", "function")
            .put(
                "function",
                new JsonObject()
                    .put("name", "get_weather")
                    .put("arguments", "{\"city\":\"Paris\"}"));
    JsonObject request =
        GatewayFixture.chat("claude-sonnet-4-5", "weather in Paris?")
            .put("tools", new JsonArray().add(WEATHER_TOOL));
    request
        .getJsonArray("messages")
        .add(
            new JsonObject()
                .put("role", "assistant")
                .putNull("content")
                .put("tool_calls", new JsonArray().add(call)))
        .add(
            new JsonObject()
                .put("role", "tool")
                .put("tool_call_id", "call_01FakeToolUse")
                .put("content", "18°C"));

    HttpResponse<Buffer> response = gateway.post(request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray messages = anthropic.requests().get(0).getJsonArray("messages");
    JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
    JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertThat(toolUse.getString("type")).isEqualTo("tool_use");
    assertThat(toolUse.getString("id")).isEqualTo("toolu_01FakeToolUse");
    assertThat(toolUse.getJsonObject("input")).isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("user");
    assertThat(toolResult.getString("type")).isEqualTo("tool_result");
    assertThat(toolResult.getString("tool_use_id")).isEqualTo("toolu_01FakeToolUse");
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  @DisplayName(
      "a stream arrives as OpenAI chunks: role first, the text, finish_reason, then [DONE]")
  void stream(Vertx vertx) {
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = gateway(vertx, anthropic);

    SseTestClient client = gateway.stream("claude-haiku-4-5", "hello");
    List<String> events = client.awaitEnd();

    assertThat(anthropic.requests().get(0).getBoolean("stream")).isTrue();
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    assertThat(client.assistantText()).isEqualTo("Hello from Claude");
    List<JsonObject> chunks = chunks(events);
    assertThat(chunks)
        .allSatisfy(
            chunk -> {
              assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
              assertThat(chunk.getString("id")).isEqualTo("chatcmpl-01FakeMessage");
              assertThat(chunk.encode()).doesNotContain("x_anthropic");
            });
    assertThat(delta(chunks.get(0)).getString("role")).isEqualTo("assistant");
    assertThat(
            chunks.stream()
                .map(OpenAiClientAnthropicBackendTest::finishReason)
                .filter(r -> r != null)
                .toList())
        .containsExactly("stop");
  }

  @Test
  @DisplayName(
      "a streamed tool call arrives as one tool_calls delta with id and name, then its argument fragments")
  void streamWithTools(Vertx vertx) {
    FakeAnthropicUpstream anthropic = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = gateway(vertx, anthropic);

    SseTestClient client =
        gateway.stream(
            GatewayFixture.chat("claude-haiku-4-5", "weather?")
                .put("tools", new JsonArray().add(WEATHER_TOOL)));
    List<JsonObject> chunks = chunks(client.awaitEnd());

    List<JsonObject> toolDeltas = new ArrayList<>();
    chunks.forEach(
        chunk -> {
          JsonObject delta = delta(chunk);
          if (delta != null && delta.getJsonArray("tool_calls") != null) {
            delta.getJsonArray("tool_calls").forEach(call -> toolDeltas.add((JsonObject) call));
          }
        });
    assertThat(toolDeltas.get(0).getInteger("index")).isZero();
    assertThat(toolDeltas.get(0).getString("id")).isEqualTo("call_01FakeToolUse");
    assertThat(toolDeltas.get(0).getJsonObject("function").getString("name"))
        .isEqualTo("get_weather");
    assertThat(toolDeltas).allSatisfy(call -> assertThat(call.getInteger("index")).isZero());
    assertThat(toolDeltas.subList(1, toolDeltas.size()))
        .allSatisfy(call -> assertThat(call.getString("id")).isNull());
    StringBuilder arguments = new StringBuilder();
    toolDeltas.forEach(
        call -> arguments.append(call.getJsonObject("function").getString("arguments", "")));
    assertThat(new JsonObject(arguments.toString()))
        .isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(
            chunks.stream()
                .map(OpenAiClientAnthropicBackendTest::finishReason)
                .filter(r -> r != null)
                .toList())
        .containsExactly("tool_calls");
  }

  @Test
  @DisplayName(
      "an Anthropic error answer reaches the OpenAI client in OpenAI's error shape with the upstream status")
  void upstreamError(Vertx vertx) {
    FakeAnthropicUpstream anthropic =
        await(FakeAnthropicUpstream.start(vertx)).failWith(529, "overloaded_error");
    GatewayFixture gateway = gateway(vertx, anthropic);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("claude-sonnet-4-5", "hello"));

    assertThat(response.statusCode()).isEqualTo(529);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("overloaded_error");
    assertThat(error.getString("message")).contains("fails on purpose");
  }

  @Test
  @DisplayName(
      "a routes file may declare more Anthropic providers (type: anthropic), each with its own key")
  void routesFileAnthropicProvider(Vertx vertx) throws Exception {
    FakeAnthropicUpstream eu = await(FakeAnthropicUpstream.start(vertx));
    Path routes = Files.createTempFile("routes", ".yaml");
    Files.writeString(
        routes,
        """
        providers:
          anthropic-eu:
            type: anthropic
            base_url: %s
            api_key_env: EU_KEY
        routes:
          - model: "claude-eu-*"
            provider: anthropic-eu
            upstream_model: claude-sonnet-4-5
        """
            .formatted(eu.baseUrl()));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject().put("ROUTES_CONFIG", routes.toString()).put("EU_KEY", "sk-ant-eu"));

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("claude-eu-fast", "hello"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(eu.requests().get(0).getString("model")).isEqualTo("claude-sonnet-4-5");
    assertThat(eu.requestHeaders().get(0).get("x-api-key")).isEqualTo("sk-ant-eu");
  }

  @Test
  @DisplayName(
      "a provider type the gateway does not know stops the gateway at start, naming the known types")
  void unknownProviderType(Vertx vertx) throws Exception {
    Path routes = Files.createTempFile("routes", ".yaml");
    Files.writeString(
        routes,
        """
        providers:
          odd:
            type: gemini
            base_url: http://127.0.0.1:1
        routes:
          - model: "*"
            provider: odd
        """);
    Future<String> deployed =
        vertx.deployVerticle(
            new GatewayVerticle(OpenTelemetry.noop()),
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("GATEWAY_PORT", "0")
                        .put("ROUTES_CONFIG", routes.toString())));

    Throwable failure =
        deployed
            .transform(result -> Future.succeededFuture(result.cause()))
            .await(10, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage())
        .contains("providers.odd.type")
        .contains("gemini")
        .contains("anthropic");
  }

  private static List<JsonObject> chunks(List<String> events) {
    return events.stream().filter(event -> event.startsWith("{")).map(JsonObject::new).toList();
  }

  private static JsonObject delta(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
    return choices.isEmpty() ? null : choices.getJsonObject(0).getJsonObject("delta");
  }

  private static String finishReason(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
    return choices.isEmpty() ? null : choices.getJsonObject(0).getString("finish_reason");
  }
}
