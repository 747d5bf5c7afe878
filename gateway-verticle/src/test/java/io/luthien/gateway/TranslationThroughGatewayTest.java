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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a real client asks crosses formats whole: structured output, reasoning models' token limit,
 * usage on its own final chunk, message threads refused so the SDK can fall back.
 */
@ExtendWith(VertxExtension.class)
class TranslationThroughGatewayTest {

  private static final JsonObject SCHEMA =
      new JsonObject(
          """
          {"type": "object", "properties": {"name": {"type": "string"}},
           "required": ["name"], "additionalProperties": false}""");

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

  private static JsonObject messages(String model) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 512)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "a name")));
  }

  private static HttpResponse<Buffer> postMessages(GatewayFixture gateway, JsonObject body) {
    return await(
        gateway
            .web
            .post("/v1/messages")
            .putHeader("anthropic-version", "2023-06-01")
            .sendJsonObject(body));
  }

  @Test
  @DisplayName(
      "an OpenAI client's response_format json_schema reaches Anthropic as output_config.format")
  void openAiClientStructuredOutput(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        GatewayFixture.chat("claude-sonnet-4-5", "a name")
            .put(
                "response_format",
                new JsonObject()
                    .put("type", "json_schema")
                    .put(
                        "json_schema",
                        new JsonObject()
                            .put("name", "person")
                            .put("strict", true)
                            .put("schema", SCHEMA)));

    HttpResponse<Buffer> response = gateway.post(request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = anthropic.requests().get(0);
    assertThat(sent.getJsonObject("output_config"))
        .isEqualTo(
            new JsonObject()
                .put("format", new JsonObject().put("type", "json_schema").put("schema", SCHEMA)));
    assertThat(sent.containsKey("response_format")).isFalse();
  }

  @Test
  @DisplayName(
      "an Anthropic client's output_config.format reaches an OpenAI backend as response_format")
  void anthropicClientStructuredOutput(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        messages("gpt-4o")
            .put(
                "output_config",
                new JsonObject()
                    .put(
                        "format",
                        new JsonObject().put("type", "json_schema").put("schema", SCHEMA)));

    HttpResponse<Buffer> response = postMessages(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getJsonObject("response_format"))
        .isEqualTo(
            new JsonObject()
                .put("type", "json_schema")
                .put(
                    "json_schema",
                    new JsonObject()
                        .put("name", "response")
                        .put("schema", SCHEMA)
                        .put("strict", true)));
    assertThat(sent.containsKey("output_config")).isFalse();
  }

  @Test
  @DisplayName(
      "an Anthropic client's max_tokens reaches an OpenAI reasoning model as max_completion_tokens")
  void reasoningModel(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response = postMessages(gateway, messages("gpt-5-mini"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(512);
    assertThat(sent.containsKey("max_tokens")).isFalse();
  }

  @Test
  @DisplayName(
      "with include_usage, an Anthropic backend's stream ends with a usage chunk with choices []"
          + " and message_start's input count, then [DONE]")
  void usageChunkFromAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        GatewayFixture.chat("claude-haiku-4-5", "hello")
            .put("stream_options", new JsonObject().put("include_usage", true));

    List<String> events = gateway.stream(request).awaitEnd();

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonObject> chunks = chunks(events);
    JsonObject last = chunks.get(chunks.size() - 1);
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(last.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(12);
    assertThat(last.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(7);
    assertThat(last.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(19);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allSatisfy(chunk -> assertThat(chunk.containsKey("usage")).isFalse());
    JsonObject finish = chunks.get(chunks.size() - 2);
    assertThat(finish.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
  }

  @Test
  @DisplayName("without include_usage, an OpenAI client gets no usage, as from OpenAI")
  void noUsageUnlessAsked(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    List<String> events = gateway.stream("claude-haiku-4-5", "hello").awaitEnd();

    List<JsonObject> chunks = chunks(events);
    assertThat(chunks)
        .allSatisfy(
            chunk -> {
              assertThat(chunk.containsKey("usage")).isFalse();
              assertThat(chunk.getJsonArray("choices")).isNotEmpty();
            });
  }

  @Test
  @DisplayName(
      "an Anthropic client's usage still comes through an OpenAI backend: message_delta has it")
  void anthropicClientUsageFromOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    SseTestClient client =
        SseTestClient.open(
            gateway.http, gateway.port, "/v1/messages", messages("gpt-4o").put("stream", true));
    client.awaitEnd();

    assertThat(gateway.upstream.requests().get(0).getJsonObject("stream_options"))
        .isEqualTo(new JsonObject().put("include_usage", true));
  }

  @Test
  @DisplayName(
      "a message thread to an OpenAI backend gets 400 with details.error_code"
          + " thread_unsupported_request, and nothing is sent upstream")
  void threadToOpenAi(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        messages("gpt-4o")
            .put(
                "thread",
                new JsonObject().put("type", "continue").put("previous_message_id", "msg_01Prev"));

    HttpResponse<Buffer> response = postMessages(gateway, request);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getJsonObject("details").getString("error_code"))
        .isEqualTo("thread_unsupported_request");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a message thread to an Anthropic backend goes through with its beta header")
  void threadToAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        messages("claude-sonnet-4-5").put("thread", new JsonObject().put("type", "create"));

    HttpResponse<Buffer> response =
        await(
            gateway
                .web
                .post("/v1/messages")
                .putHeader("anthropic-version", "2023-06-01")
                .putHeader("anthropic-beta", "message-threads-2026-08-12")
                .sendJsonObject(request));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(anthropic.requests().get(0).getJsonObject("thread"))
        .isEqualTo(new JsonObject().put("type", "create"));
    assertThat(anthropic.requestHeaders().get(0).get("anthropic-beta"))
        .isEqualTo("message-threads-2026-08-12");
  }

  private static List<JsonObject> chunks(List<String> events) {
    return events.stream().filter(event -> event.startsWith("{")).map(JsonObject::new).toList();
  }
}
