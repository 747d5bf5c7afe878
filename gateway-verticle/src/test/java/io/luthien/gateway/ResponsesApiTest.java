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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/responses}: an OpenAI Responses client against an OpenAI-compatible (chat
 * completions) backend, whole and streamed.
 */
@ExtendWith(VertxExtension.class)
class ResponsesApiTest {

  static final String PATH = "/v1/responses";
  static final JsonObject WEATHER_TOOL =
      new JsonObject()
          .put("type", "function")
          .put("name", "get_weather")
          .put("description", "Weather in a city")
          .put(
              "parameters",
              new JsonObject()
                  .put("type", "object")
                  .put(
                      "properties",
                      new JsonObject().put("city", new JsonObject().put("type", "string"))))
          .put("strict", false);

  /** One SSE event of a Responses stream: its {@code event:} name and its data. */
  record Event(String name, JsonObject data) {
    String type() {
      return data.getString("type");
    }
  }

  static HttpResponse<Buffer> post(GatewayFixture gateway, JsonObject body) {
    return await(gateway.web.post(PATH).sendJsonObject(body));
  }

  static List<Event> stream(GatewayFixture gateway, JsonObject body) {
    SseTestClient client =
        SseTestClient.open(gateway.http, gateway.port, PATH, body.copy().put("stream", true));
    client.awaitEnd();
    assertThat(client.response.getHeader("content-type")).startsWith("text/event-stream");
    List<Event> events = new ArrayList<>();
    for (String block : client.rawText().split("\n\n", -1)) {
      String name = null;
      String data = null;
      for (String line : block.split("\n", -1)) {
        if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = line.substring("data: ".length());
        }
      }
      if (data != null) {
        events.add(new Event(name, new JsonObject(data)));
      }
    }
    return events;
  }

  static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  static String streamedText(List<Event> events) {
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(event -> event.type().equals("response.output_text.delta"))
        .forEach(event -> text.append(event.data().getString("delta")));
    return text.toString();
  }

  /** Every event names itself the same way twice, and the sequence numbers count from 0. */
  static void assertWellFormed(List<Event> events) {
    assertThat(events).allSatisfy(event -> assertThat(event.name()).isEqualTo(event.type()));
    assertThat(events.stream().map(event -> event.data().getInteger("sequence_number")))
        .containsExactlyElementsOf(IntStream.range(0, events.size()).boxed().toList());
  }

  static Event last(List<Event> events) {
    return events.get(events.size() - 1);
  }

  @Test
  @DisplayName(
      "a string input with instructions becomes a system and a user message; the answer is a"
          + " completed response whose id derives from the call id")
  void wholeText(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put("instructions", "be brief")
            .put("input", "hello")
            .put("max_output_tokens", 50)
            .put("temperature", 0.2)
            .put("store", false)
            .put("include", new JsonArray().add("reasoning.encrypted_content"))
            .put("prompt_cache_key", "session-1")
            .put("metadata", new JsonObject().put("team", "blue"))
            .put("truncation", "auto");

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getJsonArray("messages"))
        .containsExactly(
            new JsonObject().put("role", "system").put("content", "be brief"),
            new JsonObject().put("role", "user").put("content", "hello"));
    assertThat(sent.getInteger("max_tokens")).isEqualTo(50);
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
    assertThat(sent.getString("prompt_cache_key")).isEqualTo("session-1");
    assertThat(sent.getBoolean("store")).isFalse();
    assertThat(sent.getJsonObject("metadata")).isEqualTo(new JsonObject().put("team", "blue"));
    assertThat(sent.fieldNames())
        .doesNotContain(
            "input", "instructions", "max_output_tokens", "include", "truncation", "text");

    JsonObject answer = response.bodyAsJsonObject();
    String callId = response.getHeader("X-Call-ID");
    assertThat(answer.getString("id")).isEqualTo("resp_" + callId.replace("-", ""));
    assertThat(answer.getString("object")).isEqualTo("response");
    assertThat(answer.getString("status")).isEqualTo("completed");
    assertThat(answer.getValue("incomplete_details")).isNull();
    assertThat(answer.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(answer.getString("instructions")).isEqualTo("be brief");
    assertThat(answer.getInteger("max_output_tokens")).isEqualTo(50);
    assertThat(answer.getBoolean("store")).isFalse();
    JsonArray output = answer.getJsonArray("output");
    assertThat(output).hasSize(1);
    JsonObject message = output.getJsonObject(0);
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("status")).isEqualTo("completed");
    assertThat(message.getString("id")).isNotBlank();
    JsonObject part = message.getJsonArray("content").getJsonObject(0);
    assertThat(part.getString("type")).isEqualTo("output_text");
    assertThat(part.getString("text")).isEqualTo("fake reply to: hello");
    assertThat(part.getJsonArray("annotations")).isEmpty();
    JsonObject usage = answer.getJsonObject("usage");
    assertThat(usage.getInteger("input_tokens")).isEqualTo(7);
    assertThat(usage.getInteger("output_tokens")).isEqualTo(4);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(11);
    assertThat(usage.getJsonObject("input_tokens_details").getInteger("cached_tokens")).isZero();
    assertThat(usage.getJsonObject("output_tokens_details").getInteger("reasoning_tokens"))
        .isZero();
    assertThat(answer.encode()).doesNotContain("x_anthropic");
  }

  @Test
  @DisplayName(
      "message items with input_text parts, flat function tools and tool_choice go upstream in chat"
          + " form; text.format becomes response_format")
  void itemsToolsAndFormat(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject schema =
        new JsonObject()
            .put("type", "object")
            .put("properties", new JsonObject().put("a", new JsonObject().put("type", "string")));
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("role", "developer").put("content", "answer in JSON"))
                    .add(
                        new JsonObject()
                            .put("type", "message")
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "input_text")
                                            .put("text", "hi")))))
            .put("tools", new JsonArray().add(WEATHER_TOOL))
            .put("tool_choice", new JsonObject().put("type", "function").put("name", "get_weather"))
            .put("parallel_tool_calls", false)
            .put(
                "text",
                new JsonObject()
                    .put(
                        "format",
                        new JsonObject()
                            .put("type", "json_schema")
                            .put("name", "answer")
                            .put("schema", schema)
                            .put("strict", true)));

    HttpResponse<Buffer> response = post(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getJsonArray("messages"))
        .containsExactly(
            new JsonObject().put("role", "developer").put("content", "answer in JSON"),
            new JsonObject()
                .put("role", "user")
                .put(
                    "content",
                    new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));
    assertThat(sent.getJsonArray("tools"))
        .containsExactly(
            new JsonObject()
                .put("type", "function")
                .put(
                    "function",
                    new JsonObject()
                        .put("name", "get_weather")
                        .put("description", "Weather in a city")
                        .put("parameters", WEATHER_TOOL.getJsonObject("parameters"))
                        .put("strict", false)));
    assertThat(sent.getJsonObject("tool_choice"))
        .isEqualTo(
            new JsonObject()
                .put("type", "function")
                .put("function", new JsonObject().put("name", "get_weather")));
    assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(sent.getJsonObject("response_format"))
        .isEqualTo(
            new JsonObject()
                .put("type", "json_schema")
                .put(
                    "json_schema",
                    new JsonObject()
                        .put("name", "answer")
                        .put("schema", schema)
                        .put("strict", true)));
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getJsonArray("tools")).containsExactly(WEATHER_TOOL);
    assertThat(answer.getJsonObject("text").getJsonObject("format").getString("type"))
        .isEqualTo("json_schema");
  }

  @Test
  @DisplayName(
      "the tool loop: a function_call comes back, its function_call_output goes up as a tool"
          + " message after the assistant's tool call, and the final answer is text")
  void toolLoop(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject first =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put("input", "weather in Paris?")
            .put("tools", new JsonArray().add(WEATHER_TOOL))
            .put("tool_choice", "required");

    JsonObject answer = post(gateway, first).bodyAsJsonObject();

    JsonObject call = answer.getJsonArray("output").getJsonObject(0);
    assertThat(call.getString("type")).isEqualTo("function_call");
    assertThat(call.getString("call_id")).isEqualTo("call_fake1");
    assertThat(call.getString("name")).isEqualTo("get_weather");
    assertThat(call.getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(call.getString("status")).isEqualTo("completed");
    assertThat(answer.getString("status")).isEqualTo("completed");

    JsonObject second =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "weather in Paris?"))
                    .add(call)
                    .add(
                        new JsonObject()
                            .put("type", "function_call_output")
                            .put("call_id", "call_fake1")
                            .put("output", "sunny, 21C")))
            .put("tools", new JsonArray().add(WEATHER_TOOL));

    HttpResponse<Buffer> response = post(gateway, second);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray messages = gateway.upstream.requests().get(1).getJsonArray("messages");
    assertThat(messages).hasSize(3);
    JsonObject assistant = messages.getJsonObject(1);
    assertThat(assistant.getString("role")).isEqualTo("assistant");
    assertThat(assistant.getValue("content")).isNull();
    assertThat(assistant.getJsonArray("tool_calls"))
        .containsExactly(
            new JsonObject()
                .put("id", "call_fake1")
                .put("type", "function")
                .put(
                    "function",
                    new JsonObject()
                        .put("name", "get_weather")
                        .put("arguments", "{\"city\":\"Paris\"}")));
    assertThat(messages.getJsonObject(2))
        .isEqualTo(
            new JsonObject()
                .put("role", "tool")
                .put("tool_call_id", "call_fake1")
                .put("content", "sunny, 21C"));
    JsonObject last = response.bodyAsJsonObject().getJsonArray("output").getJsonObject(0);
    assertThat(last.getString("type")).isEqualTo("message");
    assertThat(last.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("fake reply to: weather in Paris?");
  }

  @Test
  @DisplayName(
      "a streamed answer is the full event lifecycle with consecutive sequence numbers, ending"
          + " in response.completed with the usage the gateway asked the backend for")
  void streamedText(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    List<Event> events =
        stream(gateway, new JsonObject().put("model", "gpt-4o-mini").put("input", "hello"));

    assertWellFormed(events);
    assertThat(types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(gateway.upstream.requests().get(0).getJsonObject("stream_options"))
        .isEqualTo(new JsonObject().put("include_usage", true));
    String text = "part0 part1 part2 part3 part4 ";
    assertThat(streamedText(events)).isEqualTo(text);
    JsonObject created = events.get(0).data().getJsonObject("response");
    assertThat(created.getString("status")).isEqualTo("in_progress");
    assertThat(created.getString("id")).startsWith("resp_");
    assertThat(events.get(9).data().getString("text")).isEqualTo(text);
    JsonObject item = events.get(11).data().getJsonObject("item");
    assertThat(item.getString("id"))
        .isEqualTo(events.get(2).data().getJsonObject("item").getString("id"))
        .isEqualTo(events.get(4).data().getString("item_id"));
    assertThat(item.getString("status")).isEqualTo("completed");
    JsonObject completed = last(events).data().getJsonObject("response");
    assertThat(completed.getString("id")).isEqualTo(created.getString("id"));
    assertThat(completed.getString("status")).isEqualTo("completed");
    assertThat(completed.getJsonArray("output")).containsExactly(item);
    assertThat(completed.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(9);
    assertThat(completed.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(5);
    assertThat(completed.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(14);
  }

  @Test
  @DisplayName(
      "a streamed tool call closes the message before it and streams its arguments as"
          + " function_call_arguments deltas")
  void streamedToolCall(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.streamChunks(1, 0);

    List<Event> events =
        stream(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("input", "weather?")
                .put("tools", new JsonArray().add(WEATHER_TOOL))
                .put("tool_choice", "required"));

    assertWellFormed(events);
    assertThat(types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
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
    JsonObject added = events.get(8).data();
    assertThat(added.getInteger("output_index")).isEqualTo(1);
    assertThat(added.getJsonObject("item").getString("type")).isEqualTo("function_call");
    assertThat(added.getJsonObject("item").getString("call_id")).isEqualTo("call_fake1");
    assertThat(added.getJsonObject("item").getString("name")).isEqualTo("get_weather");
    JsonObject done = events.get(11).data();
    assertThat(done.getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(done.getString("name")).isEqualTo("get_weather");
    JsonArray output = last(events).data().getJsonObject("response").getJsonArray("output");
    assertThat(output).hasSize(2);
    assertThat(output.getJsonObject(1).getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  @DisplayName("a policy sees the canonical shape and its changes reach a Responses client")
  void policyApplies(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.UPPERCASE);
    JsonObject request = new JsonObject().put("model", "gpt-4o-mini").put("input", "hello");

    JsonObject answer = post(gateway, request).bodyAsJsonObject();
    List<Event> events = stream(gateway, request);

    assertThat(
            answer
                .getJsonArray("output")
                .getJsonObject(0)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("text"))
        .isEqualTo("FAKE REPLY TO: HELLO");
    assertThat(streamedText(events)).isEqualTo("PART0 PART1 PART2 PART3 PART4 ");
    JsonObject seen = gateway.policy.received.get(0);
    assertThat(seen.getString("api")).isEqualTo("openai_responses");
    assertThat(seen.getJsonObject("request").getJsonArray("messages").getJsonObject(0))
        .isEqualTo(new JsonObject().put("role", "user").put("content", "hello"));
  }

  @Test
  @DisplayName(
      "a stream that breaks mid-way ends with an error event and response.failed, after what"
          + " was sent")
  void brokenStream(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.streamChunks(5, 0).dropStreamAfter(2);

    List<Event> events =
        stream(gateway, new JsonObject().put("model", "gpt-4o-mini").put("input", "hello"));

    assertWellFormed(events);
    assertThat(streamedText(events)).isEqualTo("part0 part1 ");
    Event error = events.get(events.size() - 2);
    assertThat(error.type()).isEqualTo("error");
    assertThat(error.data().getString("message")).isNotBlank();
    assertThat(error.data().containsKey("code")).isTrue();
    JsonObject failed = last(events).data().getJsonObject("response");
    assertThat(last(events).type()).isEqualTo("response.failed");
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getJsonObject("error").getString("code"))
        .isEqualTo(error.data().getString("code"));
  }

  @Test
  @DisplayName("the built-in mock model answers a Responses call with no upstream at all")
  void mockModel(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request = new JsonObject().put("model", "mock").put("input", "echo me");

    HttpResponse<Buffer> response = post(gateway, request);
    List<Event> events = stream(gateway, request);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    String text =
        response
            .bodyAsJsonObject()
            .getJsonArray("output")
            .getJsonObject(0)
            .getJsonArray("content")
            .getJsonObject(0)
            .getString("text");
    assertThat(text).contains("echo me");
    assertWellFormed(events);
    assertThat(streamedText(events)).isEqualTo(text);
    assertThat(last(events).type()).isEqualTo("response.completed");
    assertThat(gateway.upstream.requests()).isEmpty();
  }
}
