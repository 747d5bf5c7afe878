package io.luthien.gateway;

import static io.luthien.gateway.ResponsesApiTest.WEATHER_TOOL;
import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.ResponsesApiTest.Event;
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
 * {@code reasoning} items sent back in {@code input} (what Codex does with every earlier turn): to
 * Claude they are the assistant turn's thinking blocks again, with the signature the gateway handed
 * out as {@code encrypted_content}; a chat completions backend never sees them.
 */
@ExtendWith(VertxExtension.class)
class ResponsesReasoningTest {

  private static final String CLAUDE = "claude-sonnet-4-5";
  private static final JsonObject THINKING =
      new JsonObject()
          .put("type", "thinking")
          .put("thinking", "Paris is a city; ask the tool.")
          .put("signature", "EqQBCkYIBxgCKkBsig==");

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture gateway(Vertx vertx) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    anthropic.leadWith(new JsonArray().add(THINKING));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret"));
  }

  private static JsonObject firstTurn(boolean stream) {
    return new JsonObject()
        .put("model", CLAUDE)
        .put("input", "weather in Paris?")
        .put("tools", new JsonArray().add(WEATHER_TOOL))
        .put("include", new JsonArray().add("reasoning.encrypted_content"))
        .put("stream", stream);
  }

  /** The next turn as Codex sends it: the whole conversation, the tool's output last. */
  private static JsonObject nextTurn(JsonArray output) {
    JsonArray input =
        new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "weather in Paris?"));
    output.forEach(input::add);
    String callId = output.getJsonObject(output.size() - 1).getString("call_id");
    input.add(
        new JsonObject()
            .put("type", "function_call_output")
            .put("call_id", callId)
            .put("output", "sunny"));
    return new JsonObject()
        .put("model", CLAUDE)
        .put("input", input)
        .put("tools", new JsonArray().add(WEATHER_TOOL));
  }

  private void assertThinkingWentBack() {
    JsonArray assistant =
        anthropic
            .requests()
            .get(1)
            .getJsonArray("messages")
            .getJsonObject(1)
            .getJsonArray("content");
    assertThat(assistant.stream().map(block -> ((JsonObject) block).getString("type")))
        .containsExactly("thinking", "text", "tool_use");
    assertThat(assistant.getJsonObject(0)).isEqualTo(THINKING);
  }

  @Test
  @DisplayName(
      "Claude's thinking comes back as a reasoning item whose encrypted_content is its signature,"
          + " and sent back in input it reaches Claude as that turn's thinking block again")
  void wholeRoundTrip(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    JsonArray output =
        ResponsesApiTest.post(gateway, firstTurn(false)).bodyAsJsonObject().getJsonArray("output");

    assertThat(output.stream().map(item -> ((JsonObject) item).getString("type")))
        .containsExactly("reasoning", "message", "function_call");
    JsonObject reasoning = output.getJsonObject(0);
    assertThat(reasoning.getString("encrypted_content")).isEqualTo(THINKING.getString("signature"));
    assertThat(reasoning.getJsonArray("summary").getJsonObject(0).getString("text"))
        .isEqualTo(THINKING.getString("thinking"));

    HttpResponse<Buffer> second = ResponsesApiTest.post(gateway, nextTurn(output));

    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThinkingWentBack();
  }

  @Test
  @DisplayName(
      "a streamed answer's reasoning item carries the streamed signature, and goes back to Claude"
          + " as the thinking block it was")
  void streamedRoundTrip(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    List<Event> events = ResponsesApiTest.stream(gateway, firstTurn(true));

    ResponsesApiTest.assertWellFormed(events);
    JsonArray output =
        ResponsesApiTest.last(events).data().getJsonObject("response").getJsonArray("output");
    assertThat(output.getJsonObject(0).getString("encrypted_content"))
        .isEqualTo(THINKING.getString("signature"));

    HttpResponse<Buffer> second = ResponsesApiTest.post(gateway, nextTurn(output));

    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThinkingWentBack();
  }

  @Test
  @DisplayName(
      "to a chat completions backend, reasoning items are dropped without an error, and one that"
          + " no answer followed leaves no empty assistant message behind")
  void chatBackendDropsThem(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject reasoning =
        new JsonObject()
            .put("type", "reasoning")
            .put("summary", new JsonArray())
            .put("encrypted_content", "signed");
    JsonArray input =
        new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "hi"))
            .add(reasoning)
            .add(
                new JsonObject()
                    .put("type", "message")
                    .put("role", "assistant")
                    .put(
                        "content",
                        new JsonArray()
                            .add(new JsonObject().put("type", "output_text").put("text", "hello"))))
            .add(new JsonObject().put("role", "user").put("content", "again"))
            .add(reasoning);

    HttpResponse<Buffer> response =
        ResponsesApiTest.post(
            gateway, new JsonObject().put("model", "gpt-4o-mini").put("input", input));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray messages = gateway.upstream.requests().get(0).getJsonArray("messages");
    assertThat(messages)
        .containsExactly(
            new JsonObject().put("role", "user").put("content", "hi"),
            new JsonObject().put("role", "assistant").put("content", "hello"),
            new JsonObject().put("role", "user").put("content", "again"));
  }
}
