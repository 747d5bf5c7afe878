package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.ScriptedUpstream.Answer;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/admin/replay} and {@code /api/admin/test/chat} through the gateway's port on one node
 * with every role, its own fresh database and a scripted upstream that also plays the judge.
 */
class PolicyReplayEndToEndTest {

  private static final String ADMIN_KEY = "admin-key-for-tests";
  private static final String ANSWER = "Mail alice@example.com about it.";

  private Vertx client;
  private Vertx node;
  private WebClient web;
  private ScriptedUpstream upstream;
  private String database;
  private int gatewayPort;
  private String wholeCall;
  private String streamedCall;

  @BeforeEach
  void start() throws IOException {
    database = LocalServices.freshDatabase();
    client = Vertx.vertx();
    web = WebClient.create(client);
    upstream = await(ScriptedUpstream.start(client));
    upstream.answer(
        request ->
            "judge-model".equals(request.getString("model"))
                ? Answer.text(
                    "{\"action\":\"replace\",\"blocks\":[{\"type\":\"text\",\"text\":\"[judged]\"}]}")
                : Answer.text(ANSWER));
    gatewayPort = NodeFixture.freePort();
    node =
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                NodeFixture.freePort(),
                "ADMIN_API_KEY",
                ADMIN_KEY,
                "DATABASE_URL",
                database,
                "OPENAI_BASE_URL",
                upstream.baseUrl()));
    wholeCall = call("/v1/chat/completions", NodeFixture.chat("gpt-4o", "who to mail?", false));
    streamedCall =
        call(
            "/v1/messages",
            new JsonObject()
                .put("model", "gpt-4o")
                .put("max_tokens", 100)
                .put("stream", true)
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", "and now?"))));
    awaitRecorded(wholeCall);
    awaitRecorded(streamedCall);
  }

  @AfterEach
  void stop() {
    await(node.close());
    await(client.close());
    LocalServices.dropDatabase(database);
  }

  @Test
  @DisplayName(
      "replaying the last 2 calls (one whole, one streamed) through a redaction candidate: both"
          + " would change, the original answers are the recorded ones, and no model is called")
  void replayThroughRedaction() {
    int upstreamCalls = upstream.requests().size();
    JsonObject report =
        post(
            "/api/admin/replay",
            new JsonObject()
                .put("last", 2)
                .put("policy_class_ref", "RegexRedactionPolicy")
                .put("config", new JsonObject().put("presets", new JsonArray().add("pii"))),
            200);

    assertThat(report.getJsonObject("summary"))
        .isEqualTo(
            new JsonObject()
                .put("calls", 2)
                .put("changed", 2L)
                .put("blocked", 0L)
                .put("unchanged", 0L)
                .put("failed", 0L)
                .put("skipped", 0L));
    JsonArray calls = report.getJsonArray("calls");
    assertThat(calls.stream().map(c -> ((JsonObject) c).getString("call_id")))
        .containsExactly(streamedCall, wholeCall);
    for (Object entry : calls) {
      JsonObject call = (JsonObject) entry;
      JsonObject response = call.getJsonObject("diff").getJsonObject("response");
      assertThat(response.getBoolean("changed")).isTrue();
      assertThat(response.getJsonObject("original").encode()).contains("alice@example.com");
      assertThat(response.getJsonObject("final").encode())
          .doesNotContain("alice@example.com")
          .contains("[REDACTED:");
      assertThat(call.getBoolean("differs_from_recorded")).isTrue();
      assertThat(call.getJsonArray("events")).isNotEmpty();
    }
    assertThat(upstream.requests()).as("a replay calls no model").hasSize(upstreamCalls);
  }

  @Test
  @DisplayName(
      "replaying a streamed and a whole call through a judge: the judge model is asked once per"
          + " call and its replacement is the final answer; the main model is not called again")
  void replayThroughJudge() {
    int upstreamCalls = upstream.requests().size();
    JsonObject report =
        post(
            "/api/admin/replay",
            new JsonObject()
                .put("call_ids", new JsonArray().add(wholeCall).add(streamedCall))
                .put("policy_class_ref", "SimpleLLMPolicy")
                .put(
                    "config",
                    new JsonObject()
                        .put("model", "judge-model")
                        .put("instructions", "Replace anything that names a person.")
                        .put("on_error", "block")),
            200);

    assertThat(report.getJsonObject("summary").getLong("changed")).isEqualTo(2L);
    for (Object entry : report.getJsonArray("calls")) {
      JsonObject response = ((JsonObject) entry).getJsonObject("diff").getJsonObject("response");
      assertThat(response.getJsonObject("final").encode()).contains("[judged]");
    }
    List<JsonObject> since = upstream.requests().subList(upstreamCalls, upstream.requests().size());
    assertThat(since)
        .hasSize(2)
        .allSatisfy(request -> assertThat(request.getString("model")).isEqualTo("judge-model"));
  }

  @Test
  @DisplayName(
      "replay refuses what it cannot do: an unknown call is 404, a malformed selector or a bad"
          + " candidate config is 400 naming it")
  void replayRefusals() {
    assertThat(
            post(
                    "/api/admin/replay",
                    new JsonObject().put("call_id", "00000000-0000-0000-0000-000000000000"),
                    404)
                .getString("error"))
        .contains("00000000-0000-0000-0000-000000000000");
    assertThat(post("/api/admin/replay", new JsonObject().put("last", 0), 400).getString("error"))
        .contains("last");
    assertThat(
            post("/api/admin/replay", new JsonObject().put("call_id", "not-a-uuid"), 400)
                .getString("error"))
        .contains("call_id");
    assertThat(
            post(
                    "/api/admin/replay",
                    new JsonObject()
                        .put("last", 1)
                        .put("policy_class_ref", "RegexRedactionPolicy")
                        .put("config", new JsonObject().put("presets", "pii")),
                    400)
                .getString("error"))
        .contains("presets");
  }

  @Test
  @DisplayName(
      "test chat runs a real call through the candidate: the answer before and after it, and the"
          + " active policy is still the one serving calls")
  void testChat() {
    int upstreamCalls = upstream.requests().size();
    JsonObject chat =
        post(
            "/api/admin/test/chat",
            new JsonObject()
                .put("model", "gpt-4o")
                .put("message", "hello")
                .put("policy_class_ref", "AllCapsPolicy"),
            200);
    assertThat(chat.getBoolean("success")).isTrue();
    assertThat(chat.getString("before_content")).isEqualTo(ANSWER);
    assertThat(chat.getString("content")).isEqualTo(ANSWER.toUpperCase(java.util.Locale.ROOT));
    assertThat(chat.getJsonObject("diff").getJsonObject("response").getBoolean("changed")).isTrue();
    assertThat(upstream.requests()).hasSize(upstreamCalls + 1);
    HttpResponse<Buffer> normal =
        await(
            web.post(gatewayPort, "127.0.0.1", "/v1/chat/completions")
                .sendJsonObject(NodeFixture.chat("gpt-4o", "hi", false)));
    assertThat(NodeFixture.assistantText(normal.bodyAsString(), false)).isEqualTo(ANSWER);
    assertThat(
            post("/api/admin/test/chat", new JsonObject().put("message", "x"), 400)
                .getString("error"))
        .contains("model");
  }

  private String call(String path, JsonObject body) {
    HttpResponse<Buffer> response =
        await(web.post(gatewayPort, "127.0.0.1", path).sendJsonObject(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.getHeader("X-Call-ID");
  }

  private void awaitRecorded(String callId) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> recorded =
          await(
              web.post(gatewayPort, "127.0.0.1", "/api/admin/replay")
                  .bearerTokenAuthentication(ADMIN_KEY)
                  .sendJsonObject(new JsonObject().put("call_id", callId)));
      if (recorded.statusCode() == 200
          && recorded.bodyAsJsonObject().getJsonObject("summary").getLong("unchanged") == 1L) {
        return;
      }
      LocalServices.sleep(100);
    }
    throw new AssertionError("call " + callId + " was not recorded within 10 s");
  }

  private JsonObject post(String path, JsonObject body, int status) {
    HttpResponse<Buffer> response =
        await(
            web.post(gatewayPort, "127.0.0.1", path)
                .bearerTokenAuthentication(ADMIN_KEY)
                .sendJsonObject(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject();
  }
}
