package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.debug.SseListener;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole recording path through the HTTP surface: a completion through the gateway
 * (AllCapsPolicy), the recorder's rows in the real PostgreSQL, the debug API's diff, and the live
 * feed over real Redis.
 */
class RecordingEndToEndTest {

  private static final String ADMIN_KEY = "e2e-admin-key";

  private final List<Vertx> nodes = new ArrayList<>();
  private Vertx clientVertx;
  private WebClient gateway;
  private WebClient debug;
  private int debugPort;

  @BeforeEach
  void clients() {
    clientVertx = Vertx.vertx();
    LocalServices.ensurePostgresUp();
    LocalServices.ensureRedisUp();
  }

  @AfterEach
  void stop() {
    LocalServices.ensurePostgresUp();
    LocalServices.ensureRedisUp();
    nodes.forEach(node -> await(node.close()));
    await(clientVertx.close());
  }

  @ParameterizedTest(name = "stream {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName(
      "a completion lands in PostgreSQL, its diff shows AllCapsPolicy's change, and a browser sees it live")
  void completionIsRecordedDiffedAndStreamedLive(boolean stream) throws Exception {
    startNode(
        Map.of("DATABASE_URL", LocalServices.POSTGRES_URL, "REDIS_URL", LocalServices.REDIS_URL));
    try (SseListener browser =
        SseListener.open(clientVertx, debugPort, "/activity/stream", ADMIN_KEY)) {
      awaitFeedConnected();

      HttpResponse<Buffer> response =
          await(
              gateway
                  .post("/v1/chat/completions")
                  .sendJsonObject(NodeFixture.chat("mock", "quiet words <script>", stream)));

      assertThat(response.statusCode()).isEqualTo(200);
      String callId = response.getHeader("X-Call-ID");
      JsonObject diff = awaitDiff(callId);
      JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
      assertThat(choice.getJsonObject("content").getString("original"))
          .isEqualTo("quiet words <script>");
      assertThat(choice.getJsonObject("content").getString("final"))
          .isEqualTo("QUIET WORDS <SCRIPT>");
      assertThat(diff.getJsonObject("response").getBoolean("changed")).isTrue();
      assertThat(diff.getJsonObject("call").getBoolean("stream")).isEqualTo(stream);
      assertThat(diff.getJsonObject("call").getString("provider")).isEqualTo("mock");
      assertThat(diff.getJsonObject("call").getInteger("status")).isEqualTo(200);
      browser.awaitEvent(
          e ->
              callId.equals(e.getString("call_id"))
                  && "response.sent".equals(e.getString("event_type")));
      assertThat(browser.events)
          .filteredOn(e -> callId.equals(e.getString("call_id")))
          .extracting(e -> e.getString("event_type"))
          .contains("request.received", "response.changed", "response.sent");
    }
  }

  @ParameterizedTest(name = "stream {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName(
      "an Anthropic client's call is stored in Anthropic's format and its diff shows AllCapsPolicy's change")
  void anthropicCallIsRecordedAndDiffed(boolean stream) {
    startNode(
        Map.of("DATABASE_URL", LocalServices.POSTGRES_URL, "REDIS_URL", LocalServices.REDIS_URL));
    JsonObject request =
        new JsonObject()
            .put("model", "mock")
            .put("max_tokens", 64)
            .put("stream", stream)
            .put("system", "answer in kind")
            .put(
                "messages",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("role", "user")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "text")
                                            .put("text", "quiet words")))));

    HttpResponse<Buffer> response =
        await(
            gateway
                .post("/v1/messages")
                .putHeader("anthropic-version", "2023-06-01")
                .sendJsonObject(request));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject diff = awaitDiff(response.getHeader("X-Call-ID"));
    assertThat(diff.getJsonObject("call").getString("api")).isEqualTo("anthropic");
    assertThat(diff.getJsonObject("request").getJsonObject("original")).isEqualTo(request);
    assertThat(diff.getJsonObject("request").getBoolean("changed")).isFalse();
    JsonObject choice = diff.getJsonObject("response").getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("content").getString("original")).isEqualTo("quiet words");
    assertThat(choice.getJsonObject("content").getString("final")).isEqualTo("QUIET WORDS");
    assertThat(choice.getJsonObject("finish_reason").getString("final")).isEqualTo("end_turn");
    assertThat(diff.getJsonObject("response").getJsonObject("final").getString("type"))
        .isEqualTo("message");
  }

  @Test
  @DisplayName(
      "with PostgreSQL stopped, completions still succeed; once it is back, every call's events are written")
  void postgresOutageLosesNothing() {
    startNode(
        Map.of(
            "DATABASE_URL",
            LocalServices.POSTGRES_URL,
            "REDIS_URL",
            LocalServices.REDIS_URL,
            "RECORDER_RETRY_MAX_MS",
            "500"));
    List<String> callIds = new ArrayList<>();
    try {
      LocalServices.stopPostgres();
      for (int i = 0; i < 20; i++) {
        HttpResponse<Buffer> response =
            await(
                gateway
                    .post("/v1/chat/completions")
                    .sendJsonObject(
                        NodeFixture.chat("mock", "during the outage " + i, i % 2 == 0)));
        assertThat(response.statusCode()).isEqualTo(200);
        callIds.add(response.getHeader("X-Call-ID"));
      }
    } finally {
      LocalServices.ensurePostgresUp();
    }
    for (String callId : callIds) {
      JsonObject call = awaitCall(callId, 2);
      assertThat(
              call.getJsonArray("events").stream()
                  .map(e -> ((JsonObject) e).getString("event_type")))
          .containsExactly("request", "response");
    }
  }

  @Test
  @DisplayName(
      "a node started while PostgreSQL is down starts at once, serves completions, and records them later")
  void startsWithoutPostgres() {
    String callId;
    try {
      LocalServices.stopPostgres();
      startNode(Map.of("DATABASE_URL", LocalServices.POSTGRES_URL, "RECORDER_RETRY_MAX_MS", "500"));
      HttpResponse<Buffer> response =
          await(
              gateway
                  .post("/v1/chat/completions")
                  .sendJsonObject(NodeFixture.chat("mock", "before the database", false)));
      assertThat(response.statusCode()).isEqualTo(200);
      callId = response.getHeader("X-Call-ID");
      HttpResponse<Buffer> unavailable =
          await(debug.get("/debug/calls").bearerTokenAuthentication(ADMIN_KEY).send());
      assertThat(unavailable.statusCode()).isEqualTo(503);
    } finally {
      LocalServices.ensurePostgresUp();
    }

    assertThat(awaitCall(callId, 2).getInteger("status")).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "with Redis stopped, completions are unaffected, and the live feed comes back with Redis")
  void redisOutage() {
    startNode(
        Map.of("DATABASE_URL", LocalServices.POSTGRES_URL, "REDIS_URL", LocalServices.REDIS_URL));
    try (SseListener browser =
        SseListener.open(clientVertx, debugPort, "/activity/stream", ADMIN_KEY)) {
      awaitFeedConnected();
      try {
        LocalServices.stopRedis();
        for (int i = 0; i < 5; i++) {
          assertThat(
                  await(
                          gateway
                              .post("/v1/chat/completions")
                              .sendJsonObject(NodeFixture.chat("mock", "no redis " + i, false)))
                      .statusCode())
              .isEqualTo(200);
        }
      } finally {
        LocalServices.ensureRedisUp();
      }
      awaitFeedConnected();
      HttpResponse<Buffer> after =
          await(
              gateway
                  .post("/v1/chat/completions")
                  .sendJsonObject(NodeFixture.chat("mock", "redis is back", false)));
      String callId = after.getHeader("X-Call-ID");

      browser.awaitEvent(
          e ->
              callId.equals(e.getString("call_id"))
                  && "response.sent".equals(e.getString("event_type")));
    }
  }

  @Test
  @DisplayName(
      "without DATABASE_URL the node runs an embedded PostgreSQL whose data survives a restart")
  void embeddedPostgresKeepsData() throws Exception {
    Path dataDir = Files.createTempDirectory("luthien-data");
    startNode(Map.of("LUTHIEN_DATA_DIR", dataDir.toString()));
    String callId =
        await(
                gateway
                    .post("/v1/chat/completions")
                    .sendJsonObject(NodeFixture.chat("mock", "remember me", false)))
            .getHeader("X-Call-ID");
    awaitCall(callId, 2);
    await(nodes.remove(0).close());

    startNode(Map.of("LUTHIEN_DATA_DIR", dataDir.toString()));

    assertThat(awaitCall(callId, 2).getString("model")).isEqualTo("mock");
    assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
  }

  private void startNode(Map<String, String> storage) {
    try {
      int gatewayPort = NodeFixture.freePort();
      debugPort = NodeFixture.freePort();
      Map<String, String> env =
          NodeFixture.env(
              "GATEWAY_PORT", gatewayPort,
              "DEBUG_PORT", debugPort,
              "ADMIN_API_KEY", ADMIN_KEY,
              "POLICY_CONFIG", NodeFixture.allCapsPolicyFile());
      env.putAll(storage);
      nodes.add(NodeFixture.startNode(List.of(), env));
      gateway =
          WebClient.create(
              clientVertx,
              new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gatewayPort));
      debug =
          WebClient.create(
              clientVertx,
              new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(debugPort));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void awaitFeedConnected() {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject health = await(debug.get("/health").send()).bodyAsJsonObject();
      if ("connected".equals(health.getString("activity_feed"))) {
        return;
      }
      LocalServices.sleep(50);
    }
    throw new AssertionError("the debug node's activity feed did not connect to Redis");
  }

  private JsonObject awaitDiff(String callId) {
    awaitCall(callId, 2);
    HttpResponse<Buffer> diff =
        await(
            debug
                .get("/debug/calls/" + callId + "/diff")
                .bearerTokenAuthentication(ADMIN_KEY)
                .send());
    assertThat(diff.statusCode()).as(diff.bodyAsString()).isEqualTo(200);
    return diff.bodyAsJsonObject();
  }

  /**
   * Waits until the call and at least {@code events} of its events are readable through the debug
   * API.
   */
  private JsonObject awaitCall(String callId, int events) {
    long deadline = System.currentTimeMillis() + 20_000;
    HttpResponse<Buffer> last = null;
    while (System.currentTimeMillis() < deadline) {
      last = await(debug.get("/debug/calls/" + callId).bearerTokenAuthentication(ADMIN_KEY).send());
      if (last.statusCode() == 200
          && last.bodyAsJsonObject().getJsonArray("events").size() >= events
          && last.bodyAsJsonObject().getInteger("status") != null) {
        return last.bodyAsJsonObject();
      }
      LocalServices.sleep(50);
    }
    throw new AssertionError(
        "call "
            + callId
            + " was not recorded: "
            + (last == null ? "no answer" : last.bodyAsString()));
  }
}
