package io.luthien.debug;

import static io.luthien.debug.RecordedCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.LocalServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivityStreamTest {

  private static final String KEY = DebugApiTest.ADMIN_KEY;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    LocalServices.ensureRedisUp();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    LocalServices.ensureRedisUp();
  }

  @Test
  @DisplayName(
      "without Redis, events published on the bus reach every browser, filtered by call_id and event_type")
  void eventBusFeedWithFilters() {
    int port = deployDebug(null);
    String callId = UUID.randomUUID().toString();
    try (SseListener all = SseListener.open(vertx, port, "/activity/stream", KEY);
        SseListener oneCall =
            SseListener.open(vertx, port, "/activity/stream?call_id=" + callId, KEY);
        SseListener policyOnly =
            SseListener.open(vertx, port, "/activity/stream?event_type=policy.*", KEY)) {

      vertx
          .eventBus()
          .publish(
              Addresses.ACTIVITY_FEED, event(UUID.randomUUID().toString(), "request.received"));
      vertx.eventBus().publish(Addresses.ACTIVITY_FEED, event(callId, "request.received"));
      vertx.eventBus().publish(Addresses.ACTIVITY_FEED, event(callId, "policy.uppercased"));

      all.awaitEvent(e -> e.getString("event_type").equals("policy.uppercased"));
      oneCall.awaitEvent(e -> e.getString("event_type").equals("policy.uppercased"));
      policyOnly.awaitEvent(e -> e.getString("call_id").equals(callId));
      assertThat(all.events).hasSize(3);
      assertThat(oneCall.events).extracting(e -> e.getString("call_id")).containsOnly(callId);
      assertThat(oneCall.events).hasSize(2);
      assertThat(policyOnly.events)
          .extracting(e -> e.getString("event_type"))
          .containsExactly("policy.uppercased");
      assertThat(all.response.getHeader("content-type")).startsWith("text/event-stream");
    }
  }

  @Test
  @DisplayName(
      "session_id narrows the stream to the calls of one agent session (data.session_id); a malformed one is a 400 naming it")
  void sessionFilter() {
    int port = deployDebug(null);
    String session = "agent session/1";
    String otherCall = UUID.randomUUID().toString();
    String sessionCall = UUID.randomUUID().toString();
    try (SseListener oneSession =
        SseListener.open(
            vertx,
            port,
            "/activity/stream?session_id=" + URLEncoder.encode(session, StandardCharsets.UTF_8),
            KEY)) {

      vertx.eventBus().publish(Addresses.ACTIVITY_FEED, event(otherCall, "response.sent"));
      vertx
          .eventBus()
          .publish(Addresses.ACTIVITY_FEED, inSession(event(otherCall, "response.sent"), "other"));
      vertx
          .eventBus()
          .publish(
              Addresses.ACTIVITY_FEED, inSession(event(sessionCall, "request.received"), session));
      vertx
          .eventBus()
          .publish(
              Addresses.ACTIVITY_FEED, inSession(event(sessionCall, "response.sent"), session));

      oneSession.awaitEvent(e -> e.getString("event_type").equals("response.sent"));
      assertThat(oneSession.events)
          .extracting(e -> e.getString("call_id"))
          .containsExactly(sessionCall, sessionCall);
    }
    HttpClient http = vertx.createHttpClient();
    int status =
        await(
            http.request(
                    new RequestOptions()
                        .setPort(port)
                        .setHost("127.0.0.1")
                        .setURI("/activity/stream?session_id=" + "x".repeat(129))
                        .putHeader("x-api-key", KEY))
                .compose(request -> request.send())
                .map(response -> response.statusCode()));
    assertThat(status).isEqualTo(400);
  }

  private static JsonObject inSession(JsonObject event, String sessionId) {
    event.getJsonObject("data").put("session_id", sessionId);
    return event;
  }

  @Test
  @DisplayName("an idle feed sends a heartbeat comment every heartbeat period")
  void heartbeat() {
    int port = deployDebug(null);
    try (SseListener browser = SseListener.open(vertx, port, "/activity/stream", KEY)) {
      long deadline = System.currentTimeMillis() + 5_000;
      while (browser.comments.size() < 2 && System.currentTimeMillis() < deadline) {
        LocalServices.sleep(20);
      }
      assertThat(browser.comments).contains(": heartbeat");
      assertThat(browser.events).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "with Redis, one subscription per debug node serves all browsers, and the feed returns after Redis restarts")
  void redisFeedSurvivesRestart() {
    int subscribersBefore = LocalServices.redisSubscribers(Addresses.ACTIVITY_REDIS_CHANNEL);
    int port = deployDebug(LocalServices.REDIS_URL);
    awaitSubscribers(subscribersBefore + 1);
    String callId = UUID.randomUUID().toString();
    try (SseListener first =
            SseListener.open(vertx, port, "/activity/stream?call_id=" + callId, KEY);
        SseListener second =
            SseListener.open(vertx, port, "/activity/stream?call_id=" + callId, KEY);
        SseListener third =
            SseListener.open(vertx, port, "/activity/stream?call_id=" + callId, KEY)) {

      LocalServices.redisPublish(
          Addresses.ACTIVITY_REDIS_CHANNEL, event(callId, "request.received").encode());
      for (SseListener browser : List.of(first, second, third)) {
        browser.awaitEvent(e -> e.getString("event_type").equals("request.received"));
      }
      assertThat(LocalServices.redisSubscribers(Addresses.ACTIVITY_REDIS_CHANNEL))
          .isEqualTo(subscribersBefore + 1);

      LocalServices.stopRedis();
      LocalServices.sleep(300);
      LocalServices.ensureRedisUp();
      awaitSubscribers(1);
      LocalServices.redisPublish(
          Addresses.ACTIVITY_REDIS_CHANNEL, event(callId, "response.sent").encode());

      first.awaitEvent(e -> e.getString("event_type").equals("response.sent"));
      third.awaitEvent(e -> e.getString("event_type").equals("response.sent"));
    }
  }

  private void awaitSubscribers(int expected) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (LocalServices.redisSubscribers(Addresses.ACTIVITY_REDIS_CHANNEL) < expected
        && System.currentTimeMillis() < deadline) {
      LocalServices.sleep(50);
    }
    assertThat(LocalServices.redisSubscribers(Addresses.ACTIVITY_REDIS_CHANNEL))
        .isGreaterThanOrEqualTo(expected);
  }

  private int deployDebug(String redisUrl) {
    DebugVerticle debug = new DebugVerticle();
    JsonObject config =
        new JsonObject()
            .put("DEBUG_PORT", "0")
            .put("ADMIN_API_KEY", KEY)
            .put("DATABASE_URL", RecordedCalls.DATABASE_URL)
            .put("DEBUG_SSE_HEARTBEAT_MS", "200");
    if (redisUrl != null) {
      config.put("REDIS_URL", redisUrl);
    }
    await(vertx.deployVerticle(debug, new DeploymentOptions().setConfig(config)));
    return debug.actualPort();
  }

  private static JsonObject event(String callId, String type) {
    return new JsonObject()
        .put("call_id", callId)
        .put("event_type", type)
        .put("timestamp", Instant.now().toString())
        .put("data", new JsonObject().put("model", "mock"));
  }
}
