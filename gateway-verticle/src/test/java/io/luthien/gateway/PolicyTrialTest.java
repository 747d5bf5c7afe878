package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.policy.trial} against a scripted policy node and a fake upstream: the trial goes
 * through the policy as a client's call does, with or without the model, and is recorded nowhere.
 */
class PolicyTrialTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> recorded = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private GatewayFixture start(TestPolicyNode.Mode mode) {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS, message -> recorded.add(message.body()))
            .completion());
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.ACTIVITY_EVENTS, message -> recorded.add(message.body()))
            .completion());
    return GatewayFixture.start(vertx, mode);
  }

  private JsonObject trial(JsonObject body) {
    return await(
        vertx.eventBus().<JsonObject>request(Addresses.POLICY_TRIAL, body).map(Message::body));
  }

  private ReplyException refused(Object body) {
    Future<Message<JsonObject>> reply = vertx.eventBus().request(Addresses.POLICY_TRIAL, body);
    assertThatThrownBy(() -> reply.await(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
    return (ReplyException) reply.cause();
  }

  private static JsonObject anthropicRequest(String text, boolean stream) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-5")
        .put("max_tokens", 100)
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private static JsonObject anthropicAnswer(String text) {
    return new JsonObject()
        .put("id", "msg_recorded1")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", "claude-sonnet-4-5")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
        .put("stop_reason", "end_turn")
        .put("stop_sequence", null)
        .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", 9));
  }

  private static String anthropicText(JsonObject message) {
    return message.getJsonArray("content").getJsonObject(0).getString("text");
  }

  private static String openAiText(JsonObject completion) {
    return completion
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getString("content");
  }

  private static List<String> eventTypes(JsonObject outcome) {
    return outcome.getJsonArray("events").stream()
        .map(event -> ((JsonObject) event).getString("event_type"))
        .toList();
  }

  @Test
  @DisplayName(
      "a test chat sends the policy's final request upstream once and answers {request, response, events} in the client's format")
  void testChat() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.REWRITE);
    JsonObject request = GatewayFixture.chat("gpt-4o", "hello");

    JsonObject outcome =
        trial(new JsonObject().put("api", "openai").put("request", request.copy()));

    assertThat(gateway.upstream.requests()).hasSize(1);
    JsonObject sent = gateway.upstream.requests().get(0);
    assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("be loud");
    assertThat(outcome.getString("call_id")).isNotBlank();
    assertThat(outcome.getJsonObject("request").getJsonObject("original")).isEqualTo(request);
    assertThat(outcome.getJsonObject("request").getJsonObject("final").getJsonArray("messages"))
        .hasSize(2);
    JsonObject response = outcome.getJsonObject("response");
    assertThat(response.getInteger("status")).isEqualTo(200);
    assertThat(openAiText(response.getJsonObject("original"))).isEqualTo("fake reply to: hello");
    assertThat(openAiText(response.getJsonObject("final"))).isEqualTo("FAKE REPLY TO: HELLO");
    assertThat(eventTypes(outcome))
        .containsExactly("policy.request_rewritten", "policy.response_uppercased");
    assertThat(outcome.getJsonArray("events").getJsonObject(1).getString("phase"))
        .isEqualTo("response");
    assertThat(gateway.policy.received.get(0).containsKey("candidate"))
        .as("no candidate: the active policy decides")
        .isFalse();
    assertThat(recorded).as("a trial is not recorded as a call").isEmpty();
  }

  @Test
  @DisplayName("the candidate travels to the policy node in the call's policy request")
  void candidateSent() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS);
    JsonObject candidate =
        new JsonObject().put("class", "AllCapsPolicy").put("config", new JsonObject());

    trial(
        new JsonObject()
            .put("api", "openai")
            .put("request", GatewayFixture.chat("gpt-4o", "hi"))
            .put("candidate", candidate));

    assertThat(gateway.policy.received.get(0).getJsonObject("candidate")).isEqualTo(candidate);
  }

  @Test
  @DisplayName(
      "a streamed Anthropic call is replayed chunk by chunk through the policy without the model: original is the recorded answer")
  void replayAnthropicStream() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.UPPERCASE);
    JsonObject recordedAnswer = anthropicAnswer("The quick brown fox jumps over the lazy dog.");

    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "anthropic")
                .put("request", anthropicRequest("tell me", true))
                .put("recorded_response", recordedAnswer)
                .put("call_id", "recorded-call-1"));

    assertThat(gateway.upstream.requests()).isEmpty();
    JsonObject response = outcome.getJsonObject("response");
    assertThat(response.getJsonObject("original")).isEqualTo(recordedAnswer);
    assertThat(anthropicText(response.getJsonObject("final")))
        .isEqualTo("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.");
    assertThat(response.getJsonObject("final").getJsonObject("usage"))
        .isEqualTo(recordedAnswer.getJsonObject("usage"));
    long chunks =
        gateway.policy.received.stream().filter(m -> "chunk".equals(m.getString("kind"))).count();
    assertThat(chunks).as("the answer was cut into a stream of several chunks").isGreaterThan(4);
    assertThat(gateway.policy.received.get(gateway.policy.received.size() - 1).getString("kind"))
        .isEqualTo("close");
  }

  @Test
  @DisplayName(
      "a request the policy blocks answers request.blocked and no response; nothing goes upstream")
  void blocked() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.BLOCK);

    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "openai")
                .put("request", GatewayFixture.chat("gpt-4o", "my secret")));

    JsonObject request = outcome.getJsonObject("request");
    assertThat(request.getJsonObject("blocked"))
        .isEqualTo(
            new JsonObject().put("status", 403).put("message", "blocked: secrets are not allowed"));
    assertThat(request.containsKey("final")).isTrue();
    assertThat(request.getValue("final")).isNull();
    assertThat(outcome.containsKey("response")).isFalse();
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a test chat whose upstream fails fails with the status the client would have got")
  void upstreamFails() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS);
    gateway.upstream.failWith(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate\"}}");

    ReplyException failure =
        refused(
            new JsonObject()
                .put("api", "openai")
                .put("request", GatewayFixture.chat("gpt-4o", "hi")));

    assertThat(failure.failureCode()).isEqualTo(429);
    assertThat(gateway.policy.received)
        .as("the policy session is released")
        .anyMatch(message -> "release".equals(message.getString("kind")));
  }

  @Test
  @DisplayName("a Responses API call cannot be replayed: 400 saying so")
  void responsesReplay() {
    start(TestPolicyNode.Mode.PASS);

    ReplyException failure =
        refused(
            new JsonObject()
                .put("api", "openai_responses")
                .put("request", new JsonObject().put("model", "gpt-4o").put("input", "hi"))
                .put("recorded_response", new JsonObject().put("object", "response")));

    assertThat(failure.failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).contains("replay of a /v1/responses call is not supported");
  }

  @Test
  @DisplayName("a malformed trial body is refused with 400 naming the field")
  void malformed() {
    start(TestPolicyNode.Mode.PASS);

    ReplyException unknownApi =
        refused(
            new JsonObject().put("api", "cohere").put("request", GatewayFixture.chat("m", "hi")));
    ReplyException noRequest = refused(new JsonObject().put("api", "openai"));
    ReplyException badClientRequest =
        refused(
            new JsonObject()
                .put("api", "anthropic")
                .put("request", new JsonObject().put("model", "claude-sonnet-4-5")));
    ReplyException notJson = refused("hello");

    assertThat(unknownApi.failureCode()).isEqualTo(400);
    assertThat(unknownApi.getMessage()).contains("api must be one of");
    assertThat(noRequest.failureCode()).isEqualTo(400);
    assertThat(noRequest.getMessage()).contains("request");
    assertThat(badClientRequest.failureCode()).isEqualTo(400);
    assertThat(notJson.failureCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("with no policy node a trial fails with 503")
  void noPolicyNode() {
    start(null);

    ReplyException failure =
        refused(
            new JsonObject()
                .put("api", "openai")
                .put("request", GatewayFixture.chat("gpt-4o", "hi")));

    assertThat(failure.failureCode()).isEqualTo(503);
    assertThat(failure.getMessage()).contains("policy_unavailable");
  }
}
