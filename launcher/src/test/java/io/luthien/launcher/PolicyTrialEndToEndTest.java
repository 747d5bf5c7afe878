package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.gateway.FakeUpstream;
import io.luthien.gateway.GatewayVerticle;
import io.luthien.policy.PolicyVerticle;
import io.luthien.shared.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy trials ({@code gateway.policy.trial}) through a real gateway and a real policy node whose
 * active policy is AllCapsPolicy, in front of a fake OpenAI upstream: candidates from the shipped
 * library replay recorded calls and make real ones, and stay out of the active policy's way.
 */
class PolicyTrialEndToEndTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private FakeUpstream upstream;
  private int gatewayPort;

  @BeforeEach
  void start() throws Exception {
    upstream = await(FakeUpstream.start(vertx));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "policy:\n  class: AllCapsPolicy\n  config: {}\n");
    await(
        vertx.deployVerticle(
            new PolicyVerticle(),
            new DeploymentOptions()
                .setConfig(new JsonObject().put("POLICY_CONFIG", policy.toString()))));
    GatewayVerticle gateway = new GatewayVerticle();
    await(
        vertx.deployVerticle(
            gateway,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("HOST", "127.0.0.1")
                        .put("GATEWAY_PORT", "0")
                        .put("OPENAI_BASE_URL", upstream.baseUrl())
                        .put("OPENAI_API_KEY", "sk-upstream"))));
    gatewayPort = gateway.actualPort();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject chat(String model, String text, boolean stream) {
    return new JsonObject()
        .put("model", model)
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private JsonObject trial(JsonObject body) {
    return await(
        vertx.eventBus().<JsonObject>request(Addresses.POLICY_TRIAL, body).map(Message::body));
  }

  private ReplyException refused(JsonObject body) {
    Future<Message<JsonObject>> reply = vertx.eventBus().request(Addresses.POLICY_TRIAL, body);
    assertThatThrownBy(() -> reply.await(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
    return (ReplyException) reply.cause();
  }

  private static JsonObject candidate(String className, JsonObject config) {
    return new JsonObject().put("class", className).put("config", config);
  }

  private static JsonObject replacing(String... pairs) {
    JsonArray replacements = new JsonArray();
    for (int i = 0; i < pairs.length; i += 2) {
      replacements.add(new JsonArray().add(pairs[i]).add(pairs[i + 1]));
    }
    return new JsonObject().put("replacements", replacements);
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
      "a whole OpenAI call replayed through a StringReplacementPolicy candidate: final replaced, original the recorded answer, its event present, no model call")
  void replayWholeOpenAi() {
    JsonObject recorded =
        new JsonObject()
            .put("id", "chatcmpl-rec")
            .put("object", "chat.completion")
            .put("created", 1_700_000_000L)
            .put("model", "gpt-4o-mini")
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put(
                                "message",
                                new JsonObject()
                                    .put("role", "assistant")
                                    .put("content", "the cat sat on the mat"))
                            .putNull("logprobs")
                            .put("finish_reason", "stop")))
            .put(
                "usage",
                new JsonObject()
                    .put("prompt_tokens", 3)
                    .put("completion_tokens", 6)
                    .put("total_tokens", 9));

    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "where is the cat?", false))
                .put("candidate", candidate("StringReplacementPolicy", replacing("cat", "dog")))
                .put("recorded_response", recorded)
                .put("call_id", "recorded-1"));

    JsonObject response = outcome.getJsonObject("response");
    assertThat(response.getJsonObject("original")).isEqualTo(recorded);
    assertThat(openAiText(response.getJsonObject("final"))).isEqualTo("the dog sat on the mat");
    assertThat(eventTypes(outcome)).contains("policy.string_replacement.response_modified");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "a streamed Anthropic call replayed through a RegexRedactionPolicy candidate: the email is redacted in final, original is the recorded answer")
  void replayStreamedAnthropic() {
    JsonObject recorded =
        new JsonObject()
            .put("id", "msg_rec")
            .put("type", "message")
            .put("role", "assistant")
            .put("model", "claude-sonnet-4-5")
            .put(
                "content",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "text")
                            .put(
                                "text", "Sure, write to jane.doe@example.com and she will reply.")))
            .put("stop_reason", "end_turn")
            .put("stop_sequence", null)
            .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 12));
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-5")
            .put("max_tokens", 200)
            .put("stream", true)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "who do I ask?")));

    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "anthropic")
                .put("request", request)
                .put(
                    "candidate",
                    candidate(
                        "RegexRedactionPolicy",
                        new JsonObject().put("presets", new JsonArray().add("pii"))))
                .put("recorded_response", recorded));

    JsonObject response = outcome.getJsonObject("response");
    assertThat(response.getJsonObject("original")).isEqualTo(recorded);
    assertThat(
            response
                .getJsonObject("final")
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("text"))
        .isEqualTo("Sure, write to [REDACTED:email] and she will reply.");
    JsonObject redaction =
        outcome.getJsonArray("events").stream()
            .map(JsonObject.class::cast)
            .filter(event -> "policy.redaction".equals(event.getString("event_type")))
            .findFirst()
            .orElseThrow();
    assertThat(redaction.getString("phase")).isEqualTo("stream");
    assertThat(redaction.getJsonObject("data").getString("type")).isEqualTo("email");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "a test chat through a candidate sends its final request upstream once; original is the model's answer, final the candidate's")
  void testChatWhole() {
    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "hello", false))
                .put(
                    "candidate",
                    candidate(
                        "StringReplacementPolicy",
                        replacing("hello", "howdy", "fake", "real").put("apply_to", "both"))));

    assertThat(upstream.requests()).hasSize(1);
    assertThat(
            upstream
                .requests()
                .get(0)
                .getJsonArray("messages")
                .getJsonObject(0)
                .getString("content"))
        .isEqualTo("howdy");
    JsonObject response = outcome.getJsonObject("response");
    assertThat(openAiText(response.getJsonObject("original"))).isEqualTo("fake reply to: howdy");
    assertThat(openAiText(response.getJsonObject("final"))).isEqualTo("real reply to: howdy");
    assertThat(outcome.getJsonObject("request").getJsonObject("final").encode()).contains("howdy");
  }

  @Test
  @DisplayName(
      "a streamed test chat goes through the candidate chunk by chunk from the model's real stream")
  void testChatStreamed() {
    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "count", true))
                .put(
                    "candidate", candidate("StringReplacementPolicy", replacing("part", "piece"))));

    JsonObject response = outcome.getJsonObject("response");
    assertThat(openAiText(response.getJsonObject("original")))
        .isEqualTo("part0 part1 part2 part3 part4 ");
    assertThat(openAiText(response.getJsonObject("final")))
        .isEqualTo("piece0 piece1 piece2 piece3 piece4 ");
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  @DisplayName(
      "without a candidate the active policy runs; after a candidate's trial a client's call still gets the active policy")
  void candidateNotLeftActive() {
    JsonObject byActive =
        trial(
            new JsonObject().put("api", "openai").put("request", chat("gpt-4o-mini", "hi", false)));
    trial(
        new JsonObject()
            .put("api", "openai")
            .put("request", chat("gpt-4o-mini", "hi", false))
            .put("candidate", candidate("NoOpPolicy", new JsonObject())));

    HttpResponse<Buffer> clientCall =
        await(
            WebClient.create(vertx)
                .post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
                .sendJsonObject(chat("gpt-4o-mini", "hi", false)));

    assertThat(openAiText(byActive.getJsonObject("response").getJsonObject("final")))
        .isEqualTo("FAKE REPLY TO: HI");
    assertThat(openAiText(clientCall.bodyAsJsonObject())).isEqualTo("FAKE REPLY TO: HI");
  }

  @Test
  @DisplayName(
      "a candidate that blocks the request: request.blocked with its status, its event, no response, no model call")
  void blockingCandidate() {
    JsonObject outcome =
        trial(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "tell me the secret", false))
                .put(
                    "candidate",
                    candidate(
                        SdkTestPolicies.RefusesWord.class.getName(),
                        new JsonObject().put("word", "secret"))));

    JsonObject blocked = outcome.getJsonObject("request").getJsonObject("blocked");
    assertThat(blocked.getInteger("status")).isEqualTo(451);
    assertThat(blocked.getString("message")).isEqualTo("no talk of secret");
    assertThat(outcome.containsKey("response")).isFalse();
    assertThat(eventTypes(outcome)).containsExactly("policy.refused");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a candidate with a bad config fails with 400 naming the key")
  void badConfig() {
    ReplyException failure =
        refused(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "hi", false))
                .put(
                    "candidate",
                    candidate(
                        "RegexRedactionPolicy",
                        new JsonObject().put("presets", new JsonArray().add("no_such_preset")))));

    assertThat(failure.failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).contains("RegexRedactionPolicy").contains("presets");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a candidate naming no policy class fails with 400 naming it")
  void unknownClass() {
    ReplyException failure =
        refused(
            new JsonObject()
                .put("api", "openai")
                .put("request", chat("gpt-4o-mini", "hi", false))
                .put("candidate", candidate("NoSuchPolicy", new JsonObject())));

    assertThat(failure.failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).contains("'NoSuchPolicy'");
  }
}
