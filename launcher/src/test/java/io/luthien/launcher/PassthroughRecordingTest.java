package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.luthien.debug.SseListener;
import io.luthien.gateway.FakeAnthropicUpstream;
import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.LocalServices;
import io.luthien.shared.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client's own credential, passed through to the provider ({@code AUTH_MODE=both}), appears
 * nowhere else: not in the events PostgreSQL holds, the debug API, the live feed over Redis, nor
 * any log line of the node (at DEBUG).
 */
class PassthroughRecordingTest {

  private static final String ADMIN_KEY = "passthrough-admin-key";
  private static final String PROXY_KEY = "passthrough-proxy-key";
  // unique per run: the shared database keeps earlier runs' rows
  private final String oauthToken = "sk-ant-oat01-" + UUID.randomUUID();
  private final String openAiKey = "sk-proj-" + UUID.randomUUID();

  private final List<Vertx> nodes = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;
  private Vertx clientVertx;
  private FakeAnthropicUpstream anthropic;
  private FakeUpstream openAi;
  private WebClient gateway;
  private WebClient debug;
  private int debugPort;

  @BeforeEach
  void start() throws Exception {
    LocalServices.ensurePostgresUp();
    LocalServices.ensureRedisUp();
    clientVertx = Vertx.vertx();
    anthropic = await(FakeAnthropicUpstream.start(clientVertx));
    openAi = await(FakeUpstream.start(clientVertx));
    int gatewayPort = NodeFixture.freePort();
    debugPort = NodeFixture.freePort();
    nodes.add(
        NodeFixture.startNode(
            List.of(),
            NodeFixture.env(
                "GATEWAY_PORT",
                gatewayPort,
                "DEBUG_PORT",
                debugPort,
                "ADMIN_API_KEY",
                ADMIN_KEY,
                "DATABASE_URL",
                LocalServices.POSTGRES_URL,
                "REDIS_URL",
                LocalServices.REDIS_URL,
                "AUTH_MODE",
                "both",
                "PROXY_API_KEY",
                PROXY_KEY,
                "ANTHROPIC_BASE_URL",
                anthropic.baseUrl(),
                "OPENAI_BASE_URL",
                openAi.baseUrl(),
                "POLICY_CONFIG",
                NodeFixture.allCapsPolicyFile())));
    gateway =
        WebClient.create(
            clientVertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gatewayPort));
    debug =
        WebClient.create(
            clientVertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(debugPort));
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    nodes.forEach(node -> await(node.close()));
    await(clientVertx.close());
  }

  @Test
  @DisplayName(
      "calls with a passed-through OAuth token and OpenAI key, whole, streamed and refused, are"
          + " recorded and shown live without the credential anywhere, nor in the node's log")
  void credentialIsNeverRecordedOrLogged() throws Exception {
    List<String> callIds = new ArrayList<>();
    try (SseListener browser =
        SseListener.open(clientVertx, debugPort, "/activity/stream", ADMIN_KEY)) {
      awaitFeedConnected();

      HttpResponse<Buffer> whole = send(anthropicClient(), messages("claude-x", false));
      HttpResponse<Buffer> streamed = send(anthropicClient(), messages("claude-x", true));
      HttpResponse<Buffer> refused = send(anthropicClient(), messages("gpt-4o", false));
      HttpResponse<Buffer> openAiCall =
          send(
              gateway
                  .post("/v1/chat/completions")
                  .putHeader("Authorization", "Bearer " + openAiKey),
              NodeFixture.chat("gpt-4o", "quiet words", true));

      assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(200);
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(openAiCall.statusCode()).isEqualTo(200);
      assertThat(anthropic.requestHeaders())
          .extracting(h -> h.get("authorization"))
          .containsOnly("Bearer " + oauthToken);
      assertThat(openAi.requestHeaders())
          .extracting(h -> h.get("authorization"))
          .containsOnly("Bearer " + openAiKey);
      for (HttpResponse<Buffer> response : List.of(whole, streamed, refused, openAiCall)) {
        callIds.add(response.getHeader("X-Call-ID"));
      }

      List<String> shown = new ArrayList<>();
      for (String callId : callIds) {
        shown.add(awaitCall(callId).encode());
        browser.awaitEvent(
            e ->
                callId.equals(e.getString("call_id"))
                    && ("response.sent".equals(e.getString("event_type"))
                        || "request.failed".equals(e.getString("event_type"))));
      }
      shown.add(
          await(debug.get("/debug/calls").bearerTokenAuthentication(ADMIN_KEY).send())
              .bodyAsString());
      shown.add(new JsonArray(List.copyOf(browser.events)).encode());
      assertThat(shown.get(2)).contains("credential_not_forwardable");

      List<String> stored = storedPayloads(callIds);
      assertThat(stored).hasSizeGreaterThanOrEqualTo(8);
      List<String> logged = loggedLines();
      assertThat(logged).isNotEmpty();
      for (String secret : List.of(oauthToken, openAiKey)) {
        assertThat(stored).noneMatch(text -> text.contains(secret));
        assertThat(shown).noneMatch(text -> text.contains(secret));
        assertThat(logged).noneMatch(text -> text.contains(secret));
      }
    }
  }

  private HttpRequest<Buffer> anthropicClient() {
    return gateway
        .post("/v1/messages")
        .putHeader("anthropic-version", "2023-06-01")
        .putHeader("anthropic-beta", "oauth-2025-04-20")
        .putHeader("Authorization", "Bearer " + oauthToken);
  }

  private static JsonObject messages(String model, boolean stream) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 64)
        .put("stream", stream)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "quiet")));
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return await(request.sendJsonObject(body));
  }

  /** Every event payload and call row PostgreSQL holds for these calls, as text. */
  private static List<String> storedPayloads(List<String> callIds) throws SQLException {
    DatabaseSettings database =
        DatabaseSettings.from(
            new Settings(
                new JsonObject().put(DatabaseSettings.DATABASE_URL, LocalServices.POSTGRES_URL)));
    List<String> texts = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(),
                database.connectOptions().getUser(),
                database.connectOptions().getPassword());
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT e.payload::text, row_to_json(c)::text FROM conversation_events e"
                    + " JOIN conversation_calls c USING (call_id)"
                    + " WHERE e.call_id = ANY (?::uuid[])")) {
      query.setArray(1, connection.createArrayOf("text", callIds.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          texts.add(rows.getString(1));
          texts.add(rows.getString(2));
        }
      }
    }
    return texts;
  }

  private List<String> loggedLines() {
    List<String> lines = new ArrayList<>();
    synchronized (logs) {
      for (ILoggingEvent event : logs.list) {
        lines.add(event.getFormattedMessage());
        lines.add(String.valueOf(event.getMDCPropertyMap()));
        if (event.getThrowableProxy() != null) {
          lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
      }
    }
    return lines;
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

  private JsonObject awaitCall(String callId) {
    long deadline = System.currentTimeMillis() + 20_000;
    HttpResponse<Buffer> last = null;
    while (System.currentTimeMillis() < deadline) {
      last = await(debug.get("/debug/calls/" + callId).bearerTokenAuthentication(ADMIN_KEY).send());
      if (last.statusCode() == 200
          && last.bodyAsJsonObject().getJsonArray("events").size() >= 2
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
