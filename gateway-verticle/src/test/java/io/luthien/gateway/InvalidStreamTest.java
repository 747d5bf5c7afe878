package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.shared.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream request the provider answers 200 with something that is not a server-sent-event stream
 * of JSON: an HTML page, a cut-off JSON document, nothing, garbage after a good event, or good
 * events whose body ends before the stream is complete.
 */
@ExtendWith(VertxExtension.class)
class InvalidStreamTest {

  private static final String HTML =
      "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
  private static final Buffer JUNK =
      Buffer.buffer(new byte[] {(byte) 0xde, (byte) 0xad, 0x00, 'o', 'o', 'p', 's', '\n', '\n'});
  private static final String CLAUDE = "claude-sonnet-4-5";

  private final List<JsonObject> recorded = new CopyOnWriteArrayList<>();

  private GatewayFixture openAi(Vertx vertx) {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    return GatewayFixture.start(vertx, Mode.PASS);
  }

  private GatewayFixture anthropic(Vertx vertx, FakeAnthropicUpstream fake) {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", fake.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret"));
  }

  private static JsonObject anthropicRequest() {
    return new JsonObject()
        .put("model", CLAUDE)
        .put("max_tokens", 64)
        .put("stream", true)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static HttpResponse<Buffer> postAnthropic(GatewayFixture gateway) {
    return await(
        gateway
            .web
            .post("/v1/messages")
            .putHeader("anthropic-version", "2023-06-01")
            .sendJsonObject(anthropicRequest()));
  }

  private static HttpResponse<Buffer> postOpenAi(GatewayFixture gateway) {
    return gateway.post(GatewayFixture.chat("gpt-4o", "hi").put("stream", true));
  }

  /** The status of the call's recorded response event. */
  private int recordedStatus(String callId) {
    return Eventually.found(
        "the recorded response of " + callId,
        () ->
            recorded.stream()
                .filter(event -> callId.equals(event.getString("call_id")))
                .filter(event -> "response".equals(event.getString("event_type")))
                .map(event -> event.getJsonObject("payload").getInteger("status"))
                .findFirst()
                .orElse(null));
  }

  /** The payload of the call's recorded response event. */
  private JsonObject recordedResponse(String callId) {
    return Eventually.found(
        "the recorded response of " + callId,
        () ->
            recorded.stream()
                .filter(event -> callId.equals(event.getString("call_id")))
                .filter(event -> "response".equals(event.getString("event_type")))
                .map(event -> event.getJsonObject("payload"))
                .findFirst()
                .orElse(null));
  }

  private static void noRequestLeftOpen(java.util.function.IntSupplier openAnswers) {
    Eventually.found(
        "no upstream request left open", () -> openAnswers.getAsInt() == 0 ? true : null);
  }

  @Test
  @DisplayName(
      "OpenAI client: a 200 HTML page to a stream request is a 502 upstream_invalid_response quoting the page")
  void openAiHtml(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw("text/html", Buffer.buffer(HTML), false);

    HttpResponse<Buffer> response = postOpenAi(gateway);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_invalid_response");
    assertThat(error.getString("message")).contains("text/html").contains("502 Bad Gateway");
    assertThat(recordedStatus(response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(gateway.upstream::openAnswers);
  }

  @Test
  @DisplayName(
      "OpenAI client: a cut-off JSON document sent as text/event-stream is a 502 upstream_invalid_response")
  void openAiCutOffJson(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"mes"),
        false);

    HttpResponse<Buffer> response = postOpenAi(gateway);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("upstream_invalid_response");
    assertThat(recordedStatus(response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(gateway.upstream::openAnswers);
  }

  @Test
  @DisplayName("OpenAI client: a 200 stream that ends without any event is a 502")
  void openAiEmptyStream(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw("text/event-stream", Buffer.buffer(": hello\n\n"), false);

    HttpResponse<Buffer> response = postOpenAi(gateway);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("upstream_invalid_response");
  }

  @Test
  @DisplayName(
      "OpenAI client: bytes that are not SSE after a good chunk end the stream with an error event after that chunk")
  void openAiJunkAfterGoodChunk(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer(FakeUpstream.firstChunkEvent("gpt-4o")).appendBuffer(JUNK),
        false);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(client.response.statusCode()).isEqualTo(200);
    assertThat(events).hasSize(2);
    assertThat(client.assistantText()).isEqualTo(FakeUpstream.chunkText(0));
    assertThat(new JsonObject(events.get(1)).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_invalid_response");
    assertThat(recordedStatus(client.response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(gateway.upstream::openAnswers);
  }

  @Test
  @DisplayName(
      "Anthropic client: a 200 HTML page to a stream request is a 502 api_error quoting the page")
  void anthropicHtml(Vertx vertx) {
    FakeAnthropicUpstream fake = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = anthropic(vertx, fake);
    fake.answerStreamsRaw("text/html; charset=utf-8", Buffer.buffer(HTML));

    HttpResponse<Buffer> response = postAnthropic(gateway);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
    assertThat(body.getJsonObject("error").getString("message"))
        .contains("text/html")
        .contains("502 Bad Gateway");
    assertThat(recordedStatus(response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(fake::openAnswers);
  }

  @Test
  @DisplayName(
      "Anthropic client: a cut-off JSON message sent as text/event-stream is a 502 api_error")
  void anthropicCutOffJson(Vertx vertx) {
    FakeAnthropicUpstream fake = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = anthropic(vertx, fake);
    fake.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"ty"));

    HttpResponse<Buffer> response = postAnthropic(gateway);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("type"))
        .isEqualTo("api_error");
    assertThat(recordedStatus(response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(fake::openAnswers);
  }

  @Test
  @DisplayName(
      "Anthropic client: bytes that are not SSE after a good event end the stream with an error event")
  void anthropicJunkAfterGoodEvent(Vertx vertx) {
    FakeAnthropicUpstream fake = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = anthropic(vertx, fake);
    fake.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer(FakeAnthropicUpstream.messageStartEvent(CLAUDE)).appendBuffer(JUNK));

    SseTestClient client =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages",
            anthropicRequest(),
            Map.of("anthropic-version", "2023-06-01"));
    client.awaitEnd();

    assertThat(client.response.statusCode()).isEqualTo(200);
    AnthropicStreamRead read = AnthropicStreamRead.of(client.rawText());
    assertThat(read.types()).startsWith("message_start").endsWith("error");
    assertThat(read.types()).containsOnlyOnce("error");
    assertThat(read.events().get(read.events().size() - 1).getJsonObject("error").getString("type"))
        .isEqualTo("api_error");
    assertThat(recordedStatus(client.response.getHeader("X-Call-ID"))).isEqualTo(502);
    noRequestLeftOpen(fake::openAnswers);
  }

  private static String openAiChunk(int index, String finishReason) {
    JsonObject delta =
        finishReason == null
            ? new JsonObject().put("content", FakeUpstream.chunkText(index))
            : new JsonObject();
    return "data: "
        + new JsonObject()
            .put("id", "chatcmpl-cut")
            .put("object", "chat.completion.chunk")
            .put("model", "gpt-4o")
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put("delta", delta)
                            .put("finish_reason", finishReason)))
            .encode()
        + "\n\n";
  }

  @Test
  @DisplayName(
      "OpenAI client: a stream whose body ends after two chunks, without finish_reason or [DONE], ends with an error event upstream_stream_truncated and is recorded as a 502")
  void openAiTruncated(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw(
        "text/event-stream", Buffer.buffer(openAiChunk(0, null) + openAiChunk(1, null)), false);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(client.response.statusCode()).isEqualTo(200);
    assertThat(client.assistantText())
        .isEqualTo(FakeUpstream.chunkText(0) + FakeUpstream.chunkText(1));
    assertThat(events).hasSize(3).doesNotContain("[DONE]");
    JsonObject error = new JsonObject(events.get(2)).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_stream_truncated");
    assertThat(error.getString("type")).isEqualTo("upstream_error");
    String callId = client.response.getHeader("X-Call-ID");
    assertThat(recordedStatus(callId)).isEqualTo(502);
    assertThat(recordedResponse(callId).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_stream_truncated");
    noRequestLeftOpen(gateway.upstream::openAnswers);
  }

  @Test
  @DisplayName(
      "OpenAI client: a stream that gave its finish_reason and ends without [DONE] is complete: the client gets [DONE], the call is recorded as a 200")
  void openAiFinishedWithoutDone(Vertx vertx) {
    GatewayFixture gateway = openAi(vertx);
    gateway.upstream.answerStreamsRaw(
        "text/event-stream", Buffer.buffer(openAiChunk(0, null) + openAiChunk(1, "stop")), false);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(events).last().isEqualTo("[DONE]");
    assertThat(events).noneMatch(event -> event.contains("\"error\""));
    assertThat(recordedStatus(client.response.getHeader("X-Call-ID"))).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "Anthropic client: a stream whose body ends before message_stop ends with an error event and is recorded as a 502")
  void anthropicTruncated(Vertx vertx) {
    FakeAnthropicUpstream fake = await(FakeAnthropicUpstream.start(vertx));
    GatewayFixture gateway = anthropic(vertx, fake);
    JsonObject blockStart =
        new JsonObject()
            .put("type", "content_block_start")
            .put("index", 0)
            .put("content_block", new JsonObject().put("type", "text").put("text", ""));
    JsonObject delta =
        new JsonObject()
            .put("type", "content_block_delta")
            .put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", "Hello"));
    fake.answerStreamsRaw(
        "text/event-stream",
        Buffer.buffer(
            FakeAnthropicUpstream.messageStartEvent(CLAUDE)
                + "event: content_block_start\ndata: "
                + blockStart.encode()
                + "\n\nevent: content_block_delta\ndata: "
                + delta.encode()
                + "\n\n"));

    SseTestClient client =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            "/v1/messages",
            anthropicRequest(),
            Map.of("anthropic-version", "2023-06-01"));
    client.awaitEnd();

    assertThat(client.response.statusCode()).isEqualTo(200);
    AnthropicStreamRead read = AnthropicStreamRead.of(client.rawText());
    assertThat(read.types()).startsWith("message_start").endsWith("error");
    assertThat(read.types()).doesNotContain("message_stop");
    assertThat(client.rawText()).contains("Hello").contains("no message_stop");
    String callId = client.response.getHeader("X-Call-ID");
    assertThat(recordedStatus(callId)).isEqualTo(502);
    assertThat(recordedResponse(callId).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_stream_truncated");
    noRequestLeftOpen(fake::openAnswers);
  }
}
