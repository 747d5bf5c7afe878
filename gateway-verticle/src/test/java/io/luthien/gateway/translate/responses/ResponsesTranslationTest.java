package io.luthien.gateway.translate.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Responses translation on its own: canonical chunks and answers → Responses, and back. */
class ResponsesTranslationTest {

  private static final String CALL_ID = "0b9d6f3e-1c2a-4b5d-8e7f-a1b2c3d4e5f6";
  private static final ResponseIds IDS = new ResponseIds(CALL_ID);

  private static JsonObject chunk(JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", Canonical.CHUNK_OBJECT)
        .put("model", "claude-sonnet-4-5")
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", finishReason)));
  }

  private static JsonObject thinking(String type, String key, String value) {
    JsonObject event = new JsonObject().put("type", type);
    if (key != null) {
      event.put(key, value);
    }
    return new JsonObject().put(Canonical.THINKING_DELTA, event);
  }

  private static JsonObject usageChunk(long prompt, long completion) {
    return new JsonObject()
        .put("choices", new JsonArray())
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion));
  }

  private static JsonObject toolFragment(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    if (id != null) {
      call.put("id", id).put("type", "function");
      function.put("name", name);
    }
    return new JsonObject().put("tool_calls", new JsonArray().add(call));
  }

  private static List<JsonObject> encode(JsonObject clientRequest, JsonObject... chunks) {
    ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(IDS, clientRequest);
    List<JsonObject> events = new ArrayList<>();
    for (JsonObject chunk : chunks) {
      events.addAll(encoder.onChunk(chunk));
    }
    events.addAll(encoder.finish());
    return events;
  }

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(event -> event.getString("type")).toList();
  }

  @Test
  @DisplayName(
      "thinking an Anthropic backend streams becomes a reasoning item with summary events, its"
          + " signature the encrypted_content when the client included it")
  void reasoningSummary() {
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-5")
            .put("include", new JsonArray().add("reasoning.encrypted_content"));

    List<JsonObject> events =
        encode(
            request,
            chunk(thinking("thinking_start", null, null), null),
            chunk(thinking("thinking_delta", "thinking", "Let me "), null),
            chunk(thinking("thinking_delta", "thinking", "think."), null),
            chunk(thinking("signature_delta", "signature", "sig123"), null),
            chunk(new JsonObject().put("content", "Answer"), "stop"),
            usageChunk(10, 20));

    assertThat(types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(events.get(6).getString("text")).isEqualTo("Let me think.");
    JsonObject reasoning = events.get(8).getJsonObject("item");
    assertThat(reasoning.getString("type")).isEqualTo("reasoning");
    assertThat(reasoning.getJsonArray("summary"))
        .containsExactly(new JsonObject().put("type", "summary_text").put("text", "Let me think."));
    assertThat(reasoning.getString("encrypted_content")).isEqualTo("sig123");
    assertThat(events.get(11).getInteger("output_index")).isEqualTo(1);
    JsonObject completed = events.get(15).getJsonObject("response");
    assertThat(completed.getJsonArray("output")).hasSize(2);
    assertThat(completed.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(30);
  }

  @Test
  @DisplayName("a stream cut by the token limit ends in response.incomplete, max_output_tokens")
  void incompleteStream() {
    List<JsonObject> events =
        encode(
            new JsonObject().put("model", "gpt-4o"),
            chunk(new JsonObject().put("content", "Once upon"), null),
            chunk(new JsonObject(), "length"),
            usageChunk(3, 16));

    JsonObject last = events.get(events.size() - 1);
    assertThat(last.getString("type")).isEqualTo("response.incomplete");
    assertThat(last.getJsonObject("response").getString("status")).isEqualTo("incomplete");
    assertThat(last.getJsonObject("response").getJsonObject("incomplete_details"))
        .isEqualTo(new JsonObject().put("reason", "max_output_tokens"));
  }

  @Test
  @DisplayName(
      "interleaved fragments of parallel tool calls each go to their own function_call item")
  void parallelToolCalls() {
    List<JsonObject> events =
        encode(
            new JsonObject().put("model", "gpt-4o"),
            chunk(toolFragment(0, "call_a", "get_weather", "{\"city\":"), null),
            chunk(toolFragment(1, "call_b", "get_time", "{\"tz\":"), null),
            chunk(toolFragment(0, null, null, "\"Paris\"}"), null),
            chunk(toolFragment(1, null, null, "\"CET\"}"), "tool_calls"));

    List<JsonObject> done =
        events.stream()
            .filter(
                event -> event.getString("type").equals("response.function_call_arguments.done"))
            .toList();
    assertThat(done).hasSize(2);
    assertThat(done.get(0).getInteger("output_index")).isZero();
    assertThat(done.get(0).getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(done.get(1).getInteger("output_index")).isEqualTo(1);
    assertThat(done.get(1).getString("arguments")).isEqualTo("{\"tz\":\"CET\"}");
    JsonObject completed = events.get(events.size() - 1);
    assertThat(completed.getString("type")).isEqualTo("response.completed");
    JsonArray output = completed.getJsonObject("response").getJsonArray("output");
    assertThat(output.getJsonObject(0).getString("call_id")).isEqualTo("call_a");
    assertThat(output.getJsonObject(1).getString("name")).isEqualTo("get_time");
    assertThat(completed.getJsonObject("response").getValue("usage")).isNull();
  }

  @Test
  @DisplayName(
      "a whole answer with thinking, text and a tool call is a reasoning, a message and a"
          + " function_call item; cut by the token limit it is incomplete")
  void wholeAnswer() {
    JsonObject message =
        new JsonObject()
            .put("role", "assistant")
            .put("content", "Checking.")
            .put(
                Canonical.THINKING,
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "thinking")
                            .put("thinking", "hmm")
                            .put("signature", "s")))
            .put(
                "tool_calls",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "call_1")
                            .put("type", "function")
                            .put(
                                "function",
                                new JsonObject().put("name", "f").put("arguments", "{}"))));
    JsonObject completion =
        new JsonObject()
            .put("id", "chatcmpl-1")
            .put("object", Canonical.COMPLETION_OBJECT)
            .put("created", 1_700_000_000L)
            .put("model", "claude-sonnet-4-5")
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put("message", message)
                            .put("finish_reason", "length")));

    JsonObject response =
        ResponsesOutput.fromCanonical(completion, IDS, new JsonObject().put("model", "x"));

    assertThat(response.getString("id")).isEqualTo("resp_" + CALL_ID.replace("-", ""));
    assertThat(response.getLong("created_at")).isEqualTo(1_700_000_000L);
    assertThat(response.getString("status")).isEqualTo("incomplete");
    assertThat(response.getJsonObject("incomplete_details").getString("reason"))
        .isEqualTo("max_output_tokens");
    JsonArray output = response.getJsonArray("output");
    assertThat(output.stream().map(item -> ((JsonObject) item).getString("type")))
        .containsExactly("reasoning", "message", "function_call");
    assertThat(output.getJsonObject(0).containsKey("encrypted_content")).isFalse();
    assertThat(output.getJsonObject(2).getString("call_id")).isEqualTo("call_1");
    assertThat(response.encode()).doesNotContain("x_anthropic");
  }

  @Test
  @DisplayName("a response id gives back the call id it was made from; other ids give none")
  void responseIds() {
    String callId = UUID.randomUUID().toString();

    assertThat(ResponseIds.callIdOf(new ResponseIds(callId).responseId())).isEqualTo(callId);
    assertThat(ResponseIds.callIdOf("resp_abc")).isNull();
    assertThat(ResponseIds.callIdOf("msg_" + callId.replace("-", ""))).isNull();
    assertThat(ResponseIds.callIdOf(null)).isNull();
  }

  @Test
  @DisplayName(
      "the canonical request goes back to a Responses request for the record: instructions,"
          + " input items, flat tools, text.format and what chat completions has no place for")
  void requestRoundTrip() {
    JsonObject client =
        new JsonObject()
            .put("model", "gpt-4o")
            .put("instructions", "be brief")
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "hi"))
                    .add(
                        new JsonObject()
                            .put("type", "function_call")
                            .put("call_id", "call_1")
                            .put("name", "f")
                            .put("arguments", "{}"))
                    .add(
                        new JsonObject()
                            .put("type", "function_call_output")
                            .put("call_id", "call_1")
                            .put("output", "ok")))
            .put(
                "tools",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "function")
                            .put("name", "f")
                            .put("description", "d")
                            .put("parameters", new JsonObject().put("type", "object"))
                            .put("strict", true)))
            .put("tool_choice", "auto")
            .put(
                "text", new JsonObject().put("format", new JsonObject().put("type", "json_object")))
            .put("max_output_tokens", 99)
            .put("include", new JsonArray().add("reasoning.encrypted_content"));

    JsonObject back =
        ResponsesRequests.fromCanonical(ResponsesRequests.toCanonical(client, List.of()), client);

    assertThat(back.getString("instructions")).isEqualTo("be brief");
    assertThat(back.getInteger("max_output_tokens")).isEqualTo(99);
    assertThat(back.getJsonArray("tools")).isEqualTo(client.getJsonArray("tools"));
    assertThat(back.getValue("tool_choice")).isEqualTo("auto");
    assertThat(back.getJsonObject("text")).isEqualTo(client.getJsonObject("text"));
    assertThat(back.getJsonArray("include")).isEqualTo(client.getJsonArray("include"));
    JsonArray input = back.getJsonArray("input");
    assertThat(input).hasSize(3);
    assertThat(input.getJsonObject(0))
        .isEqualTo(
            new JsonObject().put("type", "message").put("role", "user").put("content", "hi"));
    assertThat(input.getJsonObject(1).getString("type")).isEqualTo("function_call");
    assertThat(input.getJsonObject(1).getString("call_id")).isEqualTo("call_1");
    assertThat(input.getJsonObject(2))
        .isEqualTo(
            new JsonObject()
                .put("type", "function_call_output")
                .put("call_id", "call_1")
                .put("output", "ok"));
  }
}
