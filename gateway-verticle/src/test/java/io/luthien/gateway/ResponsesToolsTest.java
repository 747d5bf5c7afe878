package io.luthien.gateway;

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
 * Tools other than plain functions: the web search tool (Anthropic's server tool for Claude, a 400
 * elsewhere), custom free-form tools (Codex's {@code apply_patch}) and unknown tool types.
 */
@ExtendWith(VertxExtension.class)
class ResponsesToolsTest {

  private static final String CLAUDE = "claude-sonnet-4-5";
  private static final JsonObject SEARCH =
      new JsonObject()
          .put("type", "server_tool_use")
          .put("id", "srvtoolu_01")
          .put("name", "web_search")
          .put("input", new JsonObject().put("query", "paris weather"));
  private static final JsonObject RESULT =
      new JsonObject()
          .put("type", "web_search_tool_result")
          .put("tool_use_id", "srvtoolu_01")
          .put(
              "content",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("type", "web_search_result")
                          .put("url", "https://weather.example/paris")
                          .put("title", "Paris")
                          .put("encrypted_content", "opaque")));
  private static final JsonObject APPLY_PATCH =
      new JsonObject()
          .put("type", "custom")
          .put("name", "apply_patch")
          .put("description", "Edit files with a patch")
          .put(
              "format",
              new JsonObject()
                  .put("type", "grammar")
                  .put("syntax", "lark")
                  .put("definition", "start: \"*** Begin Patch\" ..."));

  private FakeAnthropicUpstream anthropic;

  private GatewayFixture claudeGateway(Vertx vertx) {
    anthropic = await(FakeAnthropicUpstream.start(vertx));
    anthropic.leadWith(new JsonArray().add(SEARCH).add(RESULT));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", anthropic.baseUrl())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret"));
  }

  private static JsonObject searchRequest(boolean stream) {
    return new JsonObject()
        .put("model", CLAUDE)
        .put("input", "weather in Paris?")
        .put(
            "tools",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "web_search")
                        .put(
                            "filters",
                            new JsonObject()
                                .put("allowed_domains", new JsonArray().add("weather.example")))))
        .put("stream", stream);
  }

  private static void assertSearchItem(JsonObject item) {
    assertThat(item.getString("type")).isEqualTo("web_search_call");
    assertThat(item.getString("status")).isEqualTo("completed");
    assertThat(item.getJsonObject("action"))
        .isEqualTo(
            new JsonObject()
                .put("type", "search")
                .put("query", "paris weather")
                .put(
                    "sources",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "url")
                                .put("url", "https://weather.example/paris"))));
  }

  @Test
  @DisplayName(
      "web_search reaches Claude as its web_search_20250305 server tool, and the search it ran"
          + " comes back as a web_search_call item before the message")
  void webSearchWhole(Vertx vertx) {
    GatewayFixture gateway = claudeGateway(vertx);

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, searchRequest(false));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(anthropic.requests().get(0).getJsonArray("tools"))
        .containsExactly(
            new JsonObject()
                .put("type", "web_search_20250305")
                .put("name", "web_search")
                .put("allowed_domains", new JsonArray().add("weather.example")));
    JsonArray output = response.bodyAsJsonObject().getJsonArray("output");
    assertThat(output.stream().map(item -> ((JsonObject) item).getString("type")))
        .containsExactly("web_search_call", "message");
    assertSearchItem(output.getJsonObject(0));
    assertThat(response.bodyAsString()).doesNotContain("x_anthropic", "opaque");
  }

  @Test
  @DisplayName(
      "streamed, the search is a web_search_call item with its in_progress, searching and"
          + " completed events, then the message")
  void webSearchStreamed(Vertx vertx) {
    GatewayFixture gateway = claudeGateway(vertx);

    List<Event> events = ResponsesApiTest.stream(gateway, searchRequest(true));

    ResponsesApiTest.assertWellFormed(events);
    assertThat(ResponsesApiTest.types(events))
        .containsSubsequence(
            "response.output_item.added",
            "response.web_search_call.in_progress",
            "response.web_search_call.searching",
            "response.web_search_call.completed",
            "response.output_item.done",
            "response.output_item.added",
            "response.output_text.delta");
    JsonArray output =
        ResponsesApiTest.last(events).data().getJsonObject("response").getJsonArray("output");
    assertSearchItem(output.getJsonObject(0));
    assertThat(ResponsesApiTest.streamedText(events)).isEqualTo("Hello from Claude");
  }

  @Test
  @DisplayName(
      "a custom tool is a function taking one string 'input' (its grammar in the description);"
          + " the call comes back as a custom_tool_call with that text, whole and streamed, and its"
          + " output goes back as the tool result")
  void customTool(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    String patch = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put("input", "add a file")
            .put("tools", new JsonArray().add(APPLY_PATCH))
            .put("tool_choice", new JsonObject().put("type", "custom").put("name", "apply_patch"))
            .put("fake_tool_arguments", new JsonObject().put("input", patch).encode());

    JsonObject whole = ResponsesApiTest.post(gateway, request).bodyAsJsonObject();
    List<Event> events = ResponsesApiTest.stream(gateway, request.copy().put("stream", true));

    JsonObject function =
        gateway
            .upstream
            .requests()
            .get(0)
            .getJsonArray("tools")
            .getJsonObject(0)
            .getJsonObject("function");
    assertThat(function.getString("name")).isEqualTo("apply_patch");
    JsonObject input =
        function.getJsonObject("parameters").getJsonObject("properties").getJsonObject("input");
    assertThat(input.getString("type")).isEqualTo("string");
    assertThat(input.getString("description")).contains("lark", "*** Begin Patch");
    JsonObject call = whole.getJsonArray("output").getJsonObject(0);
    assertThat(call.getString("type")).isEqualTo("custom_tool_call");
    assertThat(call.getString("name")).isEqualTo("apply_patch");
    assertThat(call.getString("input")).isEqualTo(patch);
    ResponsesApiTest.assertWellFormed(events);
    assertThat(ResponsesApiTest.types(events))
        .contains("response.custom_tool_call_input.done")
        .doesNotContain("response.function_call_arguments.delta");
    JsonArray streamed =
        ResponsesApiTest.last(events).data().getJsonObject("response").getJsonArray("output");
    JsonObject streamedCall = streamed.getJsonObject(streamed.size() - 1);
    assertThat(streamedCall.getString("type")).isEqualTo("custom_tool_call");
    assertThat(streamedCall.getString("input")).isEqualTo(patch);

    JsonObject next =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put("tools", new JsonArray().add(APPLY_PATCH))
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "add a file"))
                    .add(call)
                    .add(
                        new JsonObject()
                            .put("type", "custom_tool_call_output")
                            .put("call_id", call.getString("call_id"))
                            .put("output", "Done!")));
    assertThat(ResponsesApiTest.post(gateway, next).statusCode()).isEqualTo(200);
    JsonArray messages = gateway.upstream.requests().get(2).getJsonArray("messages");
    JsonObject sentCall = messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0);
    assertThat(new JsonObject(sentCall.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("input", patch));
    assertThat(messages.getJsonObject(2))
        .isEqualTo(
            new JsonObject()
                .put("role", "tool")
                .put("tool_call_id", call.getString("call_id"))
                .put("content", "Done!"));
  }

  @Test
  @DisplayName("a tool type the gateway cannot translate is a 400 naming it, never left out")
  void unknownToolType(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        ResponsesApiTest.post(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("input", "hi")
                .put("tools", new JsonArray().add(new JsonObject().put("type", "file_search"))));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unsupported_tool");
    assertThat(error.getString("param")).isEqualTo("tools[0].type");
    assertThat(error.getString("message")).contains("file_search");
    assertThat(gateway.upstream.requests()).isEmpty();
  }
}
