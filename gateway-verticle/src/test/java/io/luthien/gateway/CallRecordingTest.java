package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the gateway sends to the recorder and the activity feed, seen from the event bus. */
class CallRecordingTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> recorded = new CopyOnWriteArrayList<>();
  private final List<JsonObject> activity = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private GatewayFixture start(TestPolicyNode.Mode mode, JsonObject config) {
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_EVENTS,
                message -> {
                  assertThat(message.headers().get("call-id"))
                      .isEqualTo(message.body().getString("call_id"));
                  recorded.add(message.body());
                })
            .completion());
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.ACTIVITY_EVENTS, message -> activity.add(message.body()))
            .completion());
    return GatewayFixture.start(vertx, mode, config);
  }

  @Test
  @DisplayName(
      "a whole completion records its original and final request and response, the policy's events, in sequence")
  void wholeCompletion() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.REWRITE, new JsonObject());

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hello <script>"));

    String callId = response.getHeader("X-Call-ID");
    List<JsonObject> events =
        awaitRecorded(callId, e -> e.getString("event_type").equals("response"));
    assertThat(events)
        .extracting(e -> e.getString("event_type"))
        .containsExactly(
            "request", "policy.request_rewritten", "policy.response_uppercased", "response");
    assertThat(events).extracting(e -> e.getInteger("sequence")).containsExactly(0, 1, 2, 3);
    JsonObject request = events.get(0);
    assertThat(request.getJsonObject("payload").getJsonObject("original").getJsonArray("messages"))
        .hasSize(1);
    assertThat(request.getJsonObject("payload").getJsonObject("final").getJsonArray("messages"))
        .hasSize(2);
    assertThat(request.getJsonObject("call").getString("model")).isEqualTo("gpt-4o");
    assertThat(request.getJsonObject("call").getString("api")).isEqualTo("openai");
    assertThat(request.getJsonObject("call").getBoolean("stream")).isFalse();
    assertThat(events.get(1).getJsonObject("payload").getString("phase")).isEqualTo("request");
    assertThat(events.get(1).getJsonObject("payload").getJsonObject("data").getString("note"))
        .isEqualTo("<b>request_rewritten</b>");
    JsonObject answer = events.get(3);
    assertThat(text(answer.getJsonObject("payload").getJsonObject("original")))
        .isEqualTo("fake reply to: hello <script>");
    assertThat(text(answer.getJsonObject("payload").getJsonObject("final")))
        .isEqualTo("FAKE REPLY TO: HELLO <SCRIPT>");
    assertThat(answer.getJsonObject("call").getInteger("status")).isEqualTo(200);
    assertThat(answer.getJsonObject("call").getString("provider")).isEqualTo("openai");
    assertThat(answer.getJsonObject("call").getString("completed_at")).isNotBlank();

    awaitActivity(callId, "response.sent");
    assertThat(activityTypes(callId))
        .containsExactly(
            "request.received",
            "policy.request_rewritten",
            "request.changed",
            "policy.response_uppercased",
            "response.changed",
            "response.sent");
    JsonObject sent = activityOf(callId, "response.sent");
    assertThat(sent.getJsonObject("data").getString("model")).isEqualTo("gpt-4o");
    assertThat(sent.getJsonObject("data").getString("preview"))
        .isEqualTo("FAKE REPLY TO: HELLO <SCRIPT>");
    assertThat(sent.getJsonObject("data").getLong("duration_ms")).isNotNegative();
  }

  @Test
  @DisplayName(
      "every activity event of a call in an agent session carries its session_id, so a page can follow the session; a call without one carries none")
  void activityCarriesSession() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.REWRITE, new JsonObject());

    HttpResponse<Buffer> inSession =
        await(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("x-session-id", "agent-session-42")
                .sendJsonObject(GatewayFixture.chat("gpt-4o", "hello")));
    HttpResponse<Buffer> alone = gateway.post(GatewayFixture.chat("gpt-4o", "hello"));

    String sessionCall = inSession.getHeader("X-Call-ID");
    awaitActivity(sessionCall, "response.sent");
    List<JsonObject> sessionEvents = activityEventsOf(sessionCall);
    assertThat(sessionEvents)
        .extracting(e -> e.getString("event_type"))
        .contains("request.received", "policy.request_rewritten", "response.sent");
    assertThat(sessionEvents)
        .allSatisfy(
            e ->
                assertThat(e.getJsonObject("data").getString("session_id"))
                    .isEqualTo("agent-session-42"));
    String aloneCall = alone.getHeader("X-Call-ID");
    awaitActivity(aloneCall, "response.sent");
    assertThat(activityEventsOf(aloneCall))
        .allSatisfy(e -> assertThat(e.getJsonObject("data").containsKey("session_id")).isFalse());
  }

  @Test
  @DisplayName(
      "an Anthropic client's call is recorded in Anthropic's format on both sides, whole and streamed")
  void anthropicClientRecordedInItsFormat() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.UPPERCASE, new JsonObject());
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o")
            .put("max_tokens", 64)
            .put("system", "be brief")
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello")));

    HttpResponse<Buffer> whole = await(gateway.web.post("/v1/messages").sendJsonObject(request));
    SseTestClient streamed =
        SseTestClient.open(
            gateway.http, gateway.port, "/v1/messages", request.copy().put("stream", true));
    streamed.awaitEnd();

    for (String callId :
        List.of(whole.getHeader("X-Call-ID"), streamed.response.getHeader("X-Call-ID"))) {
      List<JsonObject> events =
          awaitRecorded(callId, e -> e.getString("event_type").equals("response"));
      JsonObject requestPayload = events.get(0).getJsonObject("payload");
      assertThat(events.get(0).getJsonObject("call").getString("api")).isEqualTo("anthropic");
      assertThat(requestPayload.getJsonObject("original").getString("system"))
          .isEqualTo("be brief");
      assertThat(requestPayload.getJsonObject("final").getString("system")).isEqualTo("be brief");
      assertThat(requestPayload.getJsonObject("final").getInteger("max_tokens")).isEqualTo(64);
      JsonObject response = events.get(events.size() - 1).getJsonObject("payload");
      for (String side : List.of("original", "final")) {
        JsonObject message = response.getJsonObject(side);
        assertThat(message.getString("type")).as(side).isEqualTo("message");
        assertThat(message.getString("stop_reason")).as(side).isEqualTo("end_turn");
        assertThat(message.encode()).as(side).doesNotContain("x_anthropic");
      }
      assertThat(
              response
                  .getJsonObject("final")
                  .getJsonArray("content")
                  .getJsonObject(0)
                  .getString("text"))
          .isEqualTo(
              response
                  .getJsonObject("original")
                  .getJsonArray("content")
                  .getJsonObject(0)
                  .getString("text")
                  .toUpperCase(Locale.ROOT));
    }
  }

  @Test
  @DisplayName(
      "a stream is recorded as the whole response its chunks add up to, on both sides, tool call and usage included")
  void streamedCompletion() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.REWRITE, new JsonObject());

    SseTestClient stream =
        gateway.stream(
            GatewayFixture.chat("gpt-4o", "weather?")
                .put("fake_tool_call", true)
                .put("fake_chunks", 3)
                .put("stream_options", new JsonObject().put("include_usage", true)));
    stream.awaitEnd();

    String callId = stream.response.getHeader("X-Call-ID");
    List<JsonObject> events =
        awaitRecorded(callId, e -> e.getString("event_type").equals("response"));
    assertThat(events)
        .extracting(e -> e.getString("event_type"))
        .containsExactly("request", "policy.request_rewritten", "policy.stream_closed", "response");
    JsonObject payload = events.get(3).getJsonObject("payload");
    JsonObject original = payload.getJsonObject("original");
    JsonObject finalResponse = payload.getJsonObject("final");
    assertThat(text(original)).isEqualTo("part0 part1 part2 ");
    assertThat(text(finalResponse)).isEqualTo("PART0 PART1 PART2 ");
    JsonObject choice = finalResponse.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject toolCall =
        choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(toolCall.getString("id")).isEqualTo("call_fake1");
    assertThat(toolCall.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(toolCall.getJsonObject("function").getString("arguments"))
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(finalResponse.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(14);
    assertThat(events.get(0).getJsonObject("call").getBoolean("stream")).isTrue();

    awaitActivity(callId, "response.sent");
    assertThat(activityTypes(callId))
        .contains(
            "request.received",
            "stream.chunk",
            "policy.stream_closed",
            "response.changed",
            "response.sent");
    assertThat(activityOf(callId, "stream.chunk").getJsonObject("data").getString("preview"))
        .startsWith("PART0");
  }

  @Test
  @DisplayName("a blocked request records the block and its status, and no response")
  void blocked() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.BLOCK, new JsonObject());

    HttpResponse<Buffer> response =
        gateway.post(GatewayFixture.chat("gpt-4o", "my password is hunter2"));

    String callId = response.getHeader("X-Call-ID");
    JsonObject request =
        awaitRecorded(callId, e -> e.getString("event_type").equals("request")).get(0);
    assertThat(request.getJsonObject("payload").getValue("final")).isNull();
    assertThat(request.getJsonObject("payload").getJsonObject("blocked").getInteger("status"))
        .isEqualTo(403);
    assertThat(request.getJsonObject("call").getInteger("status")).isEqualTo(403);
    awaitActivity(callId, "request.blocked");
    assertThat(recordedOf(callId))
        .extracting(e -> e.getString("event_type"))
        .containsExactly("request");
  }

  @Test
  @DisplayName("a failed call records the request and the error the client saw")
  void upstreamFailure() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.PASS, new JsonObject());
    gateway.upstream.failWith(
        500, "{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}");

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(500);
    String callId = response.getHeader("X-Call-ID");
    List<JsonObject> events =
        awaitRecorded(callId, e -> e.getString("event_type").equals("response"));
    assertThat(events)
        .extracting(e -> e.getString("event_type"))
        .containsExactly("request", "response");
    JsonObject error = events.get(1).getJsonObject("payload").getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(500);
    assertThat(error.getString("message")).contains("upstream exploded");
    assertThat(events.get(1).getJsonObject("call").getInteger("status")).isEqualTo(500);
    assertThat(awaitActivity(callId, "request.failed").getJsonObject("data").getInteger("status"))
        .isEqualTo(500);
  }

  @Test
  @DisplayName("a policy that never answers still leaves a request and a 504 response on record")
  void policyTimeout() {
    GatewayFixture gateway = start(TestPolicyNode.Mode.SILENT, new JsonObject());

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(504);
    List<JsonObject> events =
        awaitRecorded(
            response.getHeader("X-Call-ID"), e -> e.getString("event_type").equals("response"));
    assertThat(events.get(0).getJsonObject("payload").getJsonObject("original")).isNotNull();
    assertThat(events.get(0).getJsonObject("payload").getValue("final")).isNull();
    assertThat(events.get(1).getJsonObject("call").getInteger("status")).isEqualTo(504);
  }

  @Test
  @DisplayName("with RECORDING_ENABLED=false nothing is sent to the recorder or the feed")
  void recordingOff() {
    GatewayFixture gateway =
        start(TestPolicyNode.Mode.PASS, new JsonObject().put("RECORDING_ENABLED", "false"));

    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(200);
    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "again")).statusCode()).isEqualTo(200);

    assertThat(recorded).isEmpty();
    assertThat(activity).isEmpty();
  }

  private List<JsonObject> awaitRecorded(String callId, Predicate<JsonObject> last) {
    return awaitFound(
        "the recorded events of " + callId,
        () -> recordedOf(callId).stream().anyMatch(last) ? recordedOf(callId) : null);
  }

  private List<JsonObject> recordedOf(String callId) {
    return recorded.stream().filter(e -> callId.equals(e.getString("call_id"))).toList();
  }

  private JsonObject awaitActivity(String callId, String type) {
    return awaitFound(
        "a " + type + " activity event for " + callId, () -> activityOf(callId, type));
  }

  /** Polls until {@code probe} finds something (not null); the bus delivers on another thread. */
  private <T> T awaitFound(String what, java.util.function.Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      T found = probe.get();
      if (found != null) {
        return found;
      }
      sleep();
    }
    throw new AssertionError(
        "not found: " + what + "; recorded " + recorded + ", activity " + activity);
  }

  private JsonObject activityOf(String callId, String type) {
    return activity.stream()
        .filter(
            e -> callId.equals(e.getString("call_id")) && type.equals(e.getString("event_type")))
        .findFirst()
        .orElse(null);
  }

  private List<JsonObject> activityEventsOf(String callId) {
    return activity.stream().filter(e -> callId.equals(e.getString("call_id"))).toList();
  }

  private List<String> activityTypes(String callId) {
    return activity.stream()
        .filter(e -> callId.equals(e.getString("call_id")))
        .map(e -> e.getString("event_type"))
        .toList();
  }

  private static String text(JsonObject completion) {
    JsonArray choices = completion.getJsonArray("choices");
    return choices.getJsonObject(0).getJsonObject("message").getString("content");
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
