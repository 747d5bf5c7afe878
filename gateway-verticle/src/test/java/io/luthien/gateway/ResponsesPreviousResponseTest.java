package io.luthien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.ResponsesApiTest.Event;
import io.luthien.gateway.TestPolicyNode.Mode;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
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
 * {@code previous_response_id}: the gateway rebuilds the conversation from what it recorded,
 * through the recorder's {@link Addresses#RECORDED_EXCHANGE} contract, answered here by {@link
 * InMemoryExchanges}.
 */
@ExtendWith(VertxExtension.class)
class ResponsesPreviousResponseTest {

  private InMemoryExchanges recorder;

  private GatewayFixture start(Vertx vertx, Mode mode) {
    recorder = InMemoryExchanges.register(vertx);
    return GatewayFixture.start(vertx, mode);
  }

  private static JsonObject firstText(JsonObject response) {
    return response.getJsonArray("output").getJsonObject(0);
  }

  @Test
  @DisplayName(
      "a follow-up naming previous_response_id gets the earlier turns (without their"
          + " instructions) ahead of its own input, whole and streamed")
  void continuesTheConversation(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject first =
        ResponsesApiTest.post(
                gateway,
                new JsonObject()
                    .put("model", "gpt-4o-mini")
                    .put("instructions", "old rules")
                    .put("input", "my name is Ada"))
            .bodyAsJsonObject();

    HttpResponse<Buffer> second =
        ResponsesApiTest.post(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("instructions", "new rules")
                .put("previous_response_id", first.getString("id"))
                .put("input", "what is my name?"));

    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    JsonObject answer = second.bodyAsJsonObject();
    assertThat(answer.getString("previous_response_id")).isEqualTo(first.getString("id"));
    assertThat(gateway.upstream.requests().get(1).getJsonArray("messages"))
        .containsExactly(
            new JsonObject().put("role", "system").put("content", "new rules"),
            new JsonObject().put("role", "user").put("content", "my name is Ada"),
            new JsonObject()
                .put("role", "assistant")
                .put("content", "fake reply to: my name is Ada"),
            new JsonObject().put("role", "user").put("content", "what is my name?"));

    List<Event> events =
        ResponsesApiTest.stream(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("previous_response_id", answer.getString("id"))
                .put("input", "and again?"));

    assertThat(ResponsesApiTest.last(events).type()).isEqualTo("response.completed");
    JsonArray third = gateway.upstream.requests().get(2).getJsonArray("messages");
    assertThat(third).hasSize(5);
    assertThat(third.getJsonObject(0).getString("content")).isEqualTo("my name is Ada");
    assertThat(third.getJsonObject(3).getString("content"))
        .isEqualTo("fake reply to: what is my name?");
    assertThat(third.getJsonObject(4).getString("content")).isEqualTo("and again?");
    assertThat(firstText(first).getString("type")).isEqualTo("message");
  }

  @Test
  @DisplayName(
      "a request the policy left alone is recorded as the client sent it; a continued one with"
          + " its conversation written out in input")
  void recordedRequests(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject first =
        new JsonObject().put("model", "gpt-4o-mini").put("instructions", "x").put("input", "hi");
    HttpResponse<Buffer> answer = ResponsesApiTest.post(gateway, first);
    String firstId = answer.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> next =
        ResponsesApiTest.post(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("previous_response_id", firstId)
                .put("input", "again"));

    JsonObject firstRecorded =
        recorder.exchangeOf(answer.getHeader("X-Call-ID")).getJsonObject(Fields.EVENT_REQUEST);
    JsonObject nextRecorded =
        recorder.exchangeOf(next.getHeader("X-Call-ID")).getJsonObject(Fields.EVENT_REQUEST);
    assertThat(firstRecorded).isEqualTo(first);
    assertThat(nextRecorded.getString("previous_response_id")).isEqualTo(firstId);
    assertThat(nextRecorded.getJsonArray("input")).hasSize(3);
    assertThat(nextRecorded.getJsonArray("input").getJsonObject(1).getString("role"))
        .isEqualTo("assistant");
  }

  @Test
  @DisplayName(
      "the tool loop by previous_response_id: the function_call_output alone follows the call it"
          + " answers")
  void toolLoop(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);
    JsonObject call =
        ResponsesApiTest.post(
                gateway,
                new JsonObject()
                    .put("model", "gpt-4o-mini")
                    .put("input", "weather in Paris?")
                    .put("tools", new JsonArray().add(ResponsesApiTest.WEATHER_TOOL))
                    .put("tool_choice", "required"))
            .bodyAsJsonObject();

    HttpResponse<Buffer> answer =
        ResponsesApiTest.post(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("previous_response_id", call.getString("id"))
                .put(
                    "input",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "function_call_output")
                                .put("call_id", "call_fake1")
                                .put("output", "sunny")))
                .put("tools", new JsonArray().add(ResponsesApiTest.WEATHER_TOOL)));

    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonArray messages = gateway.upstream.requests().get(1).getJsonArray("messages");
    assertThat(messages).hasSize(3);
    assertThat(
            messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id"))
        .isEqualTo("call_fake1");
    assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("tool");
    assertThat(messages.getJsonObject(2).getString("tool_call_id")).isEqualTo("call_fake1");
  }

  @Test
  @DisplayName(
      "an unknown or foreign previous_response_id is a 400 previous_response_not_found, and"
          + " nothing reaches the upstream")
  void unknown(Vertx vertx) {
    GatewayFixture gateway = start(vertx, Mode.PASS);

    for (String id : List.of("resp_0123456789abcdef0123456789abcdef", "resp_foreign")) {
      HttpResponse<Buffer> response =
          ResponsesApiTest.post(
              gateway,
              new JsonObject()
                  .put("model", "gpt-4o-mini")
                  .put("previous_response_id", id)
                  .put("input", "hi"));

      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("previous_response_not_found");
      assertThat(error.getString("param")).isEqualTo("previous_response_id");
      assertThat(error.getString("message")).contains(id);
    }
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "with no recorder on the bus (recording off) previous_response_id is a 400 that says why")
  void noRecorder(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        ResponsesApiTest.post(
            gateway,
            new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("previous_response_id", "resp_0123456789abcdef0123456789abcdef")
                .put("input", "hi"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("no recorder is running");
  }
}
