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
 * A Responses client calling a {@code claude-*} model: the Anthropic provider gets a Messages
 * request, the client sees the Responses API.
 */
@ExtendWith(VertxExtension.class)
class ResponsesAnthropicBackendTest {

  private static final String CLAUDE = "claude-sonnet-4-5";

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

  @Test
  @DisplayName(
      "instructions become Anthropic's system, max_output_tokens its max_tokens, and the message"
          + " comes back as a completed response with Anthropic's usage")
  void whole(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject request =
        new JsonObject()
            .put("model", CLAUDE)
            .put("instructions", "be brief")
            .put("input", "hello")
            .put("max_output_tokens", 300)
            .put("store", false)
            .put("prompt_cache_key", "k")
            .put("metadata", new JsonObject().put("team", "blue"));

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = anthropic.requests().get(0);
    assertThat(String.valueOf(sent.getValue("system"))).contains("be brief");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(300);
    assertThat(sent.getJsonArray("messages"))
        .containsExactly(new JsonObject().put("role", "user").put("content", "hello"));
    assertThat(sent.fieldNames()).doesNotContain("store", "prompt_cache_key", "input");
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("status")).isEqualTo("completed");
    assertThat(answer.getString("model")).isEqualTo(CLAUDE);
    assertThat(
            answer
                .getJsonArray("output")
                .getJsonObject(0)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("text"))
        .isEqualTo("Hello from Claude");
    assertThat(answer.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(12);
    assertThat(answer.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(7);
    assertThat(answer.encode()).doesNotContain("x_anthropic");
  }

  @Test
  @DisplayName(
      "the tool loop against Claude: tool_use comes back as a function_call with a call_ id, and"
          + " its function_call_output goes back as a tool_result for the same toolu_ id")
  void toolLoop(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    JsonObject first =
        new JsonObject()
            .put("model", CLAUDE)
            .put("input", "weather in Paris?")
            .put("tools", new JsonArray().add(WEATHER_TOOL));

    JsonObject answer = ResponsesApiTest.post(gateway, first).bodyAsJsonObject();

    JsonObject sentTool = anthropic.requests().get(0).getJsonArray("tools").getJsonObject(0);
    assertThat(sentTool.getString("name")).isEqualTo("get_weather");
    assertThat(sentTool.getJsonObject("input_schema"))
        .isEqualTo(WEATHER_TOOL.getJsonObject("parameters"));
    JsonArray output = answer.getJsonArray("output");
    assertThat(output).hasSize(2);
    JsonObject call = output.getJsonObject(1);
    assertThat(call.getString("type")).isEqualTo("function_call");
    assertThat(call.getString("call_id")).isEqualTo("call_01FakeToolUse");
    assertThat(new JsonObject(call.getString("arguments")))
        .isEqualTo(new JsonObject().put("city", "Paris"));

    JsonObject second =
        new JsonObject()
            .put("model", CLAUDE)
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "weather in Paris?"))
                    .add(output.getJsonObject(0))
                    .add(call)
                    .add(
                        new JsonObject()
                            .put("type", "function_call_output")
                            .put("call_id", call.getString("call_id"))
                            .put("output", "sunny")))
            .put("tools", new JsonArray().add(WEATHER_TOOL));

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, second);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray messages = anthropic.requests().get(1).getJsonArray("messages");
    assertThat(messages).hasSize(3);
    JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
    assertThat(assistant.getJsonObject(0))
        .isEqualTo(new JsonObject().put("type", "text").put("text", "Hello from Claude"));
    assertThat(assistant.getJsonObject(1).getString("type")).isEqualTo("tool_use");
    assertThat(assistant.getJsonObject(1).getString("id"))
        .isEqualTo(FakeAnthropicUpstream.TOOL_USE_ID);
    JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertThat(result.getString("type")).isEqualTo("tool_result");
    assertThat(result.getString("tool_use_id")).isEqualTo(FakeAnthropicUpstream.TOOL_USE_ID);
    assertThat(response.bodyAsJsonObject().getJsonArray("output")).hasSize(1);
  }

  @Test
  @DisplayName("a streamed answer from Claude is the Responses event lifecycle, tool call included")
  void streamed(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    List<Event> events =
        ResponsesApiTest.stream(
            gateway,
            new JsonObject()
                .put("model", CLAUDE)
                .put("input", "weather?")
                .put("tools", new JsonArray().add(WEATHER_TOOL)));

    ResponsesApiTest.assertWellFormed(events);
    assertThat(ResponsesApiTest.types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    assertThat(ResponsesApiTest.streamedText(events)).isEqualTo("Hello from Claude");
    JsonObject completed = ResponsesApiTest.last(events).data().getJsonObject("response");
    assertThat(completed.getJsonArray("output").getJsonObject(1).getString("call_id"))
        .isEqualTo("call_01FakeToolUse");
    assertThat(completed.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(12);
    assertThat(completed.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(7);
    assertThat(anthropic.requests().get(0).getBoolean("stream")).isTrue();
  }
}
