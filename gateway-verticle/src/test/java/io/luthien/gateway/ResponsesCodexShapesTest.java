package io.luthien.gateway;

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
 * The requests Codex CLI 0.171 sends to {@code POST /v1/responses} (recorded from the real CLI
 * through the jar, trimmed): developer messages of {@code input_text} parts, function tools beside
 * a {@code namespace} and a {@code web_search} tool, {@code include}, {@code reasoning}, {@code
 * client_metadata}, {@code store: false}, streamed; the next turn sends back the reasoning, the
 * function call and its output.
 */
@ExtendWith(VertxExtension.class)
class ResponsesCodexShapesTest {

  private static JsonObject text(String role, String... parts) {
    JsonArray content = new JsonArray();
    for (String part : parts) {
      content.add(new JsonObject().put("type", "input_text").put("text", part));
    }
    return new JsonObject().put("type", "message").put("role", role).put("content", content);
  }

  /**
   * Codex's request with {@code web_search = "disabled"} in its config.toml: no web search tool.
   */
  private static JsonObject withoutWebSearch(JsonObject codexRequest) {
    codexRequest.getJsonArray("tools").remove(2);
    return codexRequest;
  }

  private static JsonObject codexRequest(JsonArray input) {
    JsonObject exec =
        new JsonObject()
            .put("name", "exec_command")
            .put("type", "function")
            .put("strict", false)
            .put("description", "Runs a command in a PTY")
            .put(
                "parameters",
                new JsonObject()
                    .put("type", "object")
                    .put("required", new JsonArray().add("cmd"))
                    .put(
                        "properties",
                        new JsonObject().put("cmd", new JsonObject().put("type", "string")))
                    .put("additionalProperties", false));
    JsonObject namespace =
        new JsonObject()
            .put("name", "multi_agent_v1")
            .put("type", "namespace")
            .put("tools", new JsonArray().add(exec.copy().put("name", "close_agent")));
    return new JsonObject()
        .put("model", "gpt-4o-mini")
        .put("instructions", "You are a coding agent running in the Codex CLI.")
        .put("input", input)
        .put(
            "tools",
            new JsonArray()
                .add(exec)
                .add(namespace)
                .add(new JsonObject().put("type", "web_search").put("external_web_access", false)))
        .put("tool_choice", "auto")
        .put("parallel_tool_calls", true)
        .put("reasoning", new JsonObject().put("summary", "auto"))
        .put("store", false)
        .put("stream", true)
        .put("include", new JsonArray().add("reasoning.encrypted_content"))
        .put("prompt_cache_key", "01a251a7-2fe9-76f0-bbd7-eb7e1b463b78")
        .put(
            "client_metadata",
            new JsonObject()
                .put("turn_id", "01a251a7-304f-7c80-994e-fb68a01a46fd")
                .put("x-codex-installation-id", "2f166332-a653-4ab8-857b-39c42f22bdee"));
  }

  @Test
  @DisplayName(
      "Codex's first turn (web search disabled) reaches a chat completions backend as developer and"
          + " user messages and its function tools, the namespace's flattened, without the fields"
          + " only the Responses API has")
  void firstTurn(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonArray input =
        new JsonArray()
            .add(text("developer", "<permissions instructions>"))
            .add(text("developer", "<collaboration mode>", "<skills>"))
            .add(text("user", "<environment_context>"))
            .add(text("user", "run a command"));

    List<Event> events = ResponsesApiTest.stream(gateway, withoutWebSearch(codexRequest(input)));

    ResponsesApiTest.assertWellFormed(events);
    assertThat(ResponsesApiTest.last(events).type()).isEqualTo("response.completed");
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.fieldNames())
        .doesNotContain("input", "instructions", "include", "client_metadata", "reasoning", "text");
    assertThat(sent.getString("prompt_cache_key"))
        .isEqualTo("01a251a7-2fe9-76f0-bbd7-eb7e1b463b78");
    assertThat(sent.getBoolean("store")).isFalse();
    JsonArray messages = sent.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")))
        .containsExactly("system", "developer", "developer", "user", "user");
    assertThat(messages.getJsonObject(2).getJsonArray("content")).hasSize(2);
    assertThat(
            sent.getJsonArray("tools").stream()
                .map(tool -> ((JsonObject) tool).getJsonObject("function").getString("name")))
        .containsExactly("exec_command", "close_agent");
    assertThat(sent.getString("tool_choice")).isEqualTo("auto");
  }

  @Test
  @DisplayName(
      "Codex's default web search tool is left out for a chat completions backend: the call goes"
          + " through with the function tools only")
  void webSearchToChatBackend(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request =
        codexRequest(new JsonArray().add(text("user", "run a command"))).put("stream", false);

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.encode()).doesNotContain("web_search");
    assertThat(
            sent.getJsonArray("tools").stream()
                .map(tool -> ((JsonObject) tool).getJsonObject("function").getString("name")))
        .containsExactly("exec_command", "close_agent");
  }

  @Test
  @DisplayName(
      "Codex's next turn (reasoning, function_call, function_call_output) becomes an assistant"
          + " tool call and its tool message; the reasoning item is dropped")
  void toolTurn(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonArray input =
        new JsonArray()
            .add(text("user", "run a command"))
            .add(
                new JsonObject()
                    .put("type", "reasoning")
                    .put("id", "rs_1")
                    .put("summary", new JsonArray())
                    .put("encrypted_content", "opaque"))
            .add(
                new JsonObject()
                    .put("type", "function_call")
                    .put("name", "exec_command")
                    .put("arguments", "{\"cmd\":\"echo hi\"}")
                    .put("call_id", "call_w1"))
            .add(
                new JsonObject()
                    .put("type", "function_call_output")
                    .put("call_id", "call_w1")
                    .put("output", "Process exited with code 0\nOutput:\nhi\n"));

    List<Event> events = ResponsesApiTest.stream(gateway, withoutWebSearch(codexRequest(input)));

    assertThat(ResponsesApiTest.last(events).type()).isEqualTo("response.completed");
    JsonArray messages = gateway.upstream.requests().get(0).getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")))
        .containsExactly("system", "user", "assistant", "tool");
    assertThat(
            messages
                .getJsonObject(2)
                .getJsonArray("tool_calls")
                .getJsonObject(0)
                .getJsonObject("function")
                .getString("arguments"))
        .isEqualTo("{\"cmd\":\"echo hi\"}");
    assertThat(messages.getJsonObject(3).getString("tool_call_id")).isEqualTo("call_w1");
  }
}
