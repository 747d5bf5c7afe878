package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.ResponsesApiTest.Event;
import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.gateway.translate.responses.ResponseIds;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/responses} to a provider that speaks the Responses API itself ({@code
 * OPENAI_API=responses}, or {@code api: responses} in the routes file): the client's request goes
 * through with the policy's changes, and the provider's own answer comes back with them.
 */
@ExtendWith(VertxExtension.class)
class ResponsesBackendTest {

  private FakeResponsesUpstream backend;

  private GatewayFixture start(Vertx vertx, Mode mode) {
    backend = await(FakeResponsesUpstream.start(vertx));
    return GatewayFixture.start(
        vertx,
        mode,
        new JsonObject().put("OPENAI_BASE_URL", backend.baseUrl()).put("OPENAI_API", "responses"));
  }

  /** Codex's request (trimmed, as in {@link ResponsesCodexShapesTest}): web search offered. */
  static JsonObject codexRequest(String text) {
    JsonObject exec =
        new JsonObject()
            .put("type", "function")
            .put("name", "exec_command")
            .put("strict", false)
            .put(
                "parameters",
                new JsonObject()
                    .put("type", "object")
                    .put(
                        "properties",
                        new JsonObject().put("cmd", new JsonObject().put("type", "string"))));
    return new JsonObject()
        .put("model", "gpt-5-codex")
        .put("instructions", "You are a coding agent running in the Codex CLI.")
        .put(
            "input",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "message")
                        .put("role", "user")
                        .put(
                            "content",
                            new JsonArray()
                                .add(
                                    new JsonObject().put("type", "input_text").put("text", text)))))
        .put(
            "tools",
            new JsonArray()
                .add(exec)
                .add(new JsonObject().put("type", "web_search").put("external_web_access", false)))
        .put("tool_choice", "auto")
        .put("parallel_tool_calls", true)
        .put("reasoning", new JsonObject().put("effort", "medium").put("summary", "auto"))
        .put("store", false)
        .put("include", new JsonArray().add("reasoning.encrypted_content"))
        .put("prompt_cache_key", "01a251a7-2fe9-76f0-bbd7-eb7e1b463b78")
        .put("client_metadata", new JsonObject().put("turn_id", "t-1"));
  }

  private static String gatewayId(HttpResponse<Buffer> response) {
    return new ResponseIds(response.getHeader("X-Call-ID")).responseId();
  }

  private static List<String> types(JsonArray output) {
    return output.stream().map(item -> ((JsonObject) item).getString("type")).toList();
  }

  @Test
  @DisplayName(
      "Codex's request reaches a Responses backend as it was sent (built-in web search, reasoning,"
          + " include, store, client_metadata), and the answer's reasoning and web search items"
          + " reach the client as they came, under the gateway's response id")
  void codexRequestPassesThrough(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject request = codexRequest("search the web");

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(backend.requests()).containsExactly(request);
    assertThat(backend.headers().get(0).get("Authorization"))
        .isEqualTo("Bearer sk-upstream-secret");
    JsonObject answer = response.bodyAsJsonObject();
    JsonObject expected = backend.expectedAnswer(request).put("id", gatewayId(response));
    assertThat(answer).isEqualTo(expected);
    assertThat(types(answer.getJsonArray("output")))
        .containsExactly("reasoning", "web_search_call", "message");
    assertThat(answer.getJsonArray("output").getJsonObject(0).getString("encrypted_content"))
        .isEqualTo(FakeResponsesUpstream.ENCRYPTED);
  }

  @Test
  @DisplayName(
      "a streamed answer's events reach the client in order, each as it comes (not held for the"
          + " ones after it), the same events the backend sent under the gateway's response id")
  void streamedEventsPassThroughAsTheyCome(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject request = codexRequest("search the web").put("stream", true);
    List<JsonObject> sent = backend.expectedEvents(request);
    int firstDelta = indexOf(sent, "response.output_text.delta");
    Promise<Void> held = backend.holdAfter(firstDelta + 1);

    SseTestClient client =
        SseTestClient.open(gateway.http, gateway.port, ResponsesApiTest.PATH, request);
    List<String> early =
        Eventually.found(
            "the events up to the first text delta",
            () -> client.events.size() >= firstDelta + 1 ? List.copyOf(client.events) : null);
    assertThat(early).hasSize(firstDelta + 1);
    held.complete();
    client.awaitEnd();

    String responseId = new ResponseIds(client.response.getHeader("X-Call-ID")).responseId();
    List<JsonObject> received = client.events.stream().map(JsonObject::new).toList();
    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      JsonObject expected = sent.get(i).copy();
      if (expected.getValue("response") instanceof JsonObject envelope) {
        envelope.put("id", responseId);
      }
      assertThat(received.get(i)).as("event " + i).isEqualTo(expected);
    }
    assertThat(
            types(
                ResponsesApiTest.last(events(client))
                    .data()
                    .getJsonObject("response")
                    .getJsonArray("output")))
        .containsExactly("reasoning", "web_search_call", "message");
  }

  @Test
  @DisplayName(
      "a policy that changes the text changes it in the backend's whole answer, the other items"
          + " untouched")
  void policyChangesWholeText(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.UPPERCASE);

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, codexRequest("search"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray output = response.bodyAsJsonObject().getJsonArray("output");
    assertThat(types(output)).containsExactly("reasoning", "web_search_call", "message");
    assertThat(output.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo(FakeResponsesUpstream.TEXT.toUpperCase(Locale.ROOT));
    assertThat(output.getJsonObject(1).getString("id")).isEqualTo("ws_1");
  }

  @Test
  @DisplayName(
      "a policy that changes the text changes the streamed deltas, the text's done events and"
          + " response.completed; the events stay well-formed")
  void policyChangesStreamedText(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.UPPERCASE);

    List<Event> events = ResponsesApiTest.stream(gateway, codexRequest("search"));

    ResponsesApiTest.assertWellFormed(events);
    String upper = FakeResponsesUpstream.TEXT.toUpperCase(Locale.ROOT);
    assertThat(ResponsesApiTest.streamedText(events)).isEqualTo(upper);
    Event done =
        events.stream()
            .filter(event -> event.type().equals("response.output_text.done"))
            .findFirst()
            .orElseThrow();
    assertThat(done.data().getString("text")).isEqualTo(upper);
    Event completed = ResponsesApiTest.last(events);
    assertThat(completed.type()).isEqualTo("response.completed");
    JsonArray output = completed.data().getJsonObject("response").getJsonArray("output");
    assertThat(types(output)).containsExactly("reasoning", "web_search_call", "message");
    assertThat(output.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo(upper);
  }

  @Test
  @DisplayName(
      "a follow-up naming previous_response_id sends the backend the earlier input, the earlier"
          + " answer's items as they came (encrypted reasoning included) and the new input,"
          + " without previous_response_id")
  void previousResponseId(Vertx vertx) {
    InMemoryExchanges recorder = InMemoryExchanges.register(vertx);
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject first = codexRequest("first question");
    HttpResponse<Buffer> firstAnswer = ResponsesApiTest.post(gateway, first);
    String firstId = firstAnswer.bodyAsJsonObject().getString("id");
    Eventually.found(
        "the first answer recorded", () -> recorder.exchangeOf(firstAnswer.getHeader("X-Call-ID")));

    HttpResponse<Buffer> second =
        ResponsesApiTest.post(
            gateway, codexRequest("second question").put("previous_response_id", firstId));

    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    JsonObject sent = backend.requests().get(1);
    assertThat(sent.containsKey("previous_response_id")).isFalse();
    JsonArray input = sent.getJsonArray("input");
    assertThat(types(input))
        .containsExactly("message", "reasoning", "web_search_call", "message", "message");
    assertThat(input.getJsonObject(1).getString("encrypted_content"))
        .isEqualTo(FakeResponsesUpstream.ENCRYPTED);
    assertThat(input.getJsonObject(4).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("second question");
  }

  @Test
  @DisplayName(
      "the backend's 4xx and 5xx reach the client in OpenAI's error shape, whole and streamed")
  void upstreamErrors(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    backend.failWith(
        400,
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("message", "Unsupported parameter: 'temperature'")
                    .put("type", "invalid_request_error")
                    .put("param", "temperature")
                    .put("code", "unsupported_parameter"))
            .encode());

    HttpResponse<Buffer> refused = ResponsesApiTest.post(gateway, codexRequest("hi"));

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).isEqualTo("Unsupported parameter: 'temperature'");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo("unsupported_parameter");

    backend.failWith(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
    SseTestClient client =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            ResponsesApiTest.PATH,
            codexRequest("hi").put("stream", true));
    client.awaitEnd();
    assertThat(client.response.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(client.rawText()).getJsonObject("error").getString("message"))
        .isEqualTo("overloaded");
  }

  @Test
  @DisplayName(
      "a chat completions client of a model on a Responses backend is translated: the backend"
          + " gets a Responses request, the client a chat completion")
  void chatClientIsTranslated(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-5", "hello"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = backend.requests().get(0);
    assertThat(sent.containsKey("messages")).isFalse();
    assertThat(sent.getJsonArray("input").getJsonObject(0).getString("role")).isEqualTo("user");
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("object")).isEqualTo("chat.completion");
    assertThat(
            answer
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .isEqualTo(FakeResponsesUpstream.TEXT);
    assertThat(answer.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(18);

    SseTestClient stream = gateway.stream("gpt-5", "hello");
    stream.awaitEnd();
    assertThat(stream.assistantText()).isEqualTo(FakeResponsesUpstream.TEXT);
  }

  @Test
  @DisplayName(
      "a routes file's provider with api: responses gets Responses calls; an api other than chat"
          + " or responses stops the gateway at start")
  void routesFileProvider(Vertx vertx) throws Exception {
    backend = await(FakeResponsesUpstream.start(vertx));
    Path routes = Files.createTempFile("routes", ".yaml");
    Files.writeString(
        routes,
        """
        providers:
          codex-backend: {base_url: "%s", api: responses}
        routes:
          - {model: "gpt-5*", provider: codex-backend}
          - {model: "*", provider: openai}
        """
            .formatted(backend.baseUrl()));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("ROUTES_CONFIG", routes.toString()));

    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, codexRequest("hi"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(backend.requests()).hasSize(1);

    Files.writeString(
        routes,
        """
        providers:
          odd: {base_url: "http://127.0.0.1:1", type: anthropic, api: responses}
        routes:
          - {model: "*", provider: odd}
        """);
    Throwable failure =
        vertx
            .deployVerticle(
                new GatewayVerticle(),
                new io.vertx.core.DeploymentOptions()
                    .setConfig(
                        new JsonObject()
                            .put("GATEWAY_PORT", "0")
                            .put("ROUTES_CONFIG", routes.toString())))
            .transform(result -> io.vertx.core.Future.succeededFuture(result.cause()))
            .await(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("providers.odd.api").contains("responses");
  }

  @Test
  @DisplayName(
      "the recording holds the backend's answer as original and the policy's as final, whole and"
          + " streamed, and the request the backend got as the final request")
  void recording(Vertx vertx) {
    List<JsonObject> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                io.luthien.shared.Addresses.RECORDER_EVENTS,
                message -> recorded.add(message.body()))
            .completion());
    GatewayFixture gateway = start(vertx, Mode.UPPERCASE);
    String upper = FakeResponsesUpstream.TEXT.toUpperCase(Locale.ROOT);

    HttpResponse<Buffer> whole = ResponsesApiTest.post(gateway, codexRequest("hi"));
    JsonObject wholeEvent = responseEvent(recorded, whole.getHeader("X-Call-ID"));
    assertThat(messageText(wholeEvent.getJsonObject("original")))
        .isEqualTo(FakeResponsesUpstream.TEXT);
    assertThat(messageText(wholeEvent.getJsonObject("final"))).isEqualTo(upper);
    assertThat(wholeEvent.getJsonObject("original").getString("id")).isEqualTo(gatewayId(whole));
    JsonObject requestEvent =
        recorded.stream()
            .filter(
                event ->
                    whole.getHeader("X-Call-ID").equals(event.getString("call_id"))
                        && "request".equals(event.getString("event_type")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("payload");
    assertThat(requestEvent.getJsonObject("original")).isEqualTo(codexRequest("hi"));
    assertThat(requestEvent.getJsonObject("final")).isEqualTo(backend.requests().get(0));

    SseTestClient client =
        SseTestClient.open(
            gateway.http,
            gateway.port,
            ResponsesApiTest.PATH,
            codexRequest("hi").put("stream", true));
    client.awaitEnd();
    JsonObject streamed = responseEvent(recorded, client.response.getHeader("X-Call-ID"));
    assertThat(messageText(streamed.getJsonObject("original")))
        .isEqualTo(FakeResponsesUpstream.TEXT);
    assertThat(messageText(streamed.getJsonObject("final"))).isEqualTo(upper);
    assertThat(types(streamed.getJsonObject("final").getJsonArray("output")))
        .containsExactly("reasoning", "web_search_call", "message");
  }

  private static JsonObject responseEvent(List<JsonObject> recorded, String callId) {
    return Eventually.found(
        "the recorded response of " + callId,
        () ->
            recorded.stream()
                .filter(
                    event ->
                        callId.equals(event.getString("call_id"))
                            && "response".equals(event.getString("event_type")))
                .map(event -> event.getJsonObject("payload"))
                .findFirst()
                .orElse(null));
  }

  private static String messageText(JsonObject response) {
    return response.getJsonArray("output").stream()
        .map(JsonObject.class::cast)
        .filter(item -> "message".equals(item.getString("type")))
        .map(item -> item.getJsonArray("content").getJsonObject(0).getString("text"))
        .findFirst()
        .orElse(null);
  }

  private static int indexOf(List<JsonObject> events, String type) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getString("type").equals(type)) {
        return i;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static List<Event> events(SseTestClient client) {
    return client.events.stream()
        .map(JsonObject::new)
        .map(data -> new Event(data.getString("type"), data))
        .toList();
  }
}
