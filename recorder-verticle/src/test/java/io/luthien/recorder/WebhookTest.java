package io.luthien.recorder;

import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.shared.Fields;
import io.luthien.shared.LogCapture;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WebhookTest {

  private static final Duration SOON = Duration.ofSeconds(20);
  private static final String SECRET = "webhook-secret";

  private static FreshDatabase database;

  private RecorderFixture recorder;
  private WebhookReceiver receiver;

  /**
   * The columns the session and intervention work adds, so that this test sees them reach the
   * receiver without the webhook knowing them ({@code IF NOT EXISTS}: a migration may add them).
   */
  @BeforeAll
  static void createDatabase() {
    database = FreshDatabase.create();
    database.update(
        """
        ALTER TABLE conversation_calls
          ADD COLUMN IF NOT EXISTS session_id text, ADD COLUMN IF NOT EXISTS user_id text,
          ADD COLUMN IF NOT EXISTS policy_changed boolean, ADD COLUMN IF NOT EXISTS policy_blocked boolean,
          ADD COLUMN IF NOT EXISTS policy_judged boolean, ADD COLUMN IF NOT EXISTS search_text tsvector""",
        Tuple.tuple());
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @AfterEach
  void stop() {
    if (recorder != null) {
      recorder.stop();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  @DisplayName(
      "each completed call is POSTed once, signed, with its row's columns, session, user and interventions")
  void onePostPerCompletedCall(Vertx vertx) throws Exception {
    receiver = WebhookReceiver.answering(vertx);
    recorder = start(vertx, new JsonObject().put("WEBHOOK_SECRET", SECRET));
    UUID answered = UUID.randomUUID();
    UUID blocked = UUID.randomUUID();
    UUID inFlight = UUID.randomUUID();
    UUID judged = UUID.randomUUID();

    recorder.record(request(answered));
    recorder.record(response(answered, 200));
    recorder.record(blockedRequest(blocked));
    recorder.record(request(inFlight));
    recorder.record(request(judged));
    until(SOON, "the judged call's row", () -> database.calls(List.of(judged)) == 1);
    database.update(
        """
        UPDATE conversation_calls SET session_id = 'session-7', user_id = 'user-3',
               policy_changed = true, policy_judged = true, search_text = to_tsvector('hello')
         WHERE call_id = $1""",
        Tuple.of(judged));
    recorder.record(response(judged, 200));
    until(SOON, "three calls delivered", () -> recorder.stats().webhookDelivered() == 3);
    until(SOON, "every event written", () -> recorder.stats().writtenEvents() == 6);

    assertThat(receiver.posts()).hasSize(3);
    assertThat(receiver.posts(inFlight.toString())).isEmpty();
    JsonObject first = only(answered);
    assertThat(first.getString("event")).isEqualTo("call.completed");
    JsonObject call = first.getJsonObject("call");
    assertThat(call.getString("call_id")).isEqualTo(answered.toString());
    assertThat(call.getString("model")).isEqualTo("gpt-4o");
    assertThat(call.getString("provider")).isEqualTo("openai");
    assertThat(call.getString("api")).isEqualTo("openai");
    assertThat(call.getInteger("status")).isEqualTo(200);
    assertThat(call.getString("created_at")).isNotNull();
    assertThat(call.getString("completed_at")).isNotNull();
    assertThat(call.containsKey("parent_call_id")).isTrue();
    assertThat(call.containsKey("search_text")).isFalse();
    assertThat(first.getValue("session_id")).isNull();
    assertThat(first.getValue("user_id")).isNull();
    assertThat(first.getJsonObject("intervention"))
        .isEqualTo(
            new JsonObject().put("changed", false).put("blocked", false).put("judged", false));
    assertThat(only(blocked).getJsonObject("call").getInteger("status")).isEqualTo(403);
    JsonObject third = only(judged);
    assertThat(third.getString("session_id")).isEqualTo("session-7");
    assertThat(third.getString("user_id")).isEqualTo("user-3");
    assertThat(third.getJsonObject("call").getString("session_id")).isEqualTo("session-7");
    assertThat(third.getJsonObject("call").containsKey("search_text")).isFalse();
    assertThat(third.getJsonObject("intervention"))
        .isEqualTo(new JsonObject().put("changed", true).put("blocked", false).put("judged", true));
    for (WebhookReceiver.Post post : receiver.posts()) {
      assertThat(post.signature()).isEqualTo("sha256=" + hmac(post.rawBody()));
    }
    assertThat(recorder.stats().webhookDropped()).isZero();
  }

  @Test
  @DisplayName("a receiver that answers 500 twice and then 200 gets the call on the third try")
  void retriedAfterServerErrors(Vertx vertx) {
    receiver = WebhookReceiver.answering(vertx, 500, 500);
    recorder = start(vertx, new JsonObject().put("WEBHOOK_RETRY_MS", "50"));
    UUID callId = completedCall();

    until(SOON, "the call delivered", () -> recorder.stats().webhookDelivered() == 1);

    assertThat(receiver.posts(callId.toString())).hasSize(3);
    assertThat(recorder.stats().webhookDropped()).isZero();
  }

  @Test
  @DisplayName("a 429 is tried again, a 400 is not: the call is dropped as rejected")
  void clientErrorsAreFinal(Vertx vertx) {
    receiver = WebhookReceiver.answering(vertx, 429, 400);
    recorder = start(vertx, new JsonObject().put("WEBHOOK_RETRY_MS", "20"));
    UUID callId = completedCall();

    until(SOON, "the call rejected", () -> recorder.stats().webhookRejected() == 1);

    assertThat(receiver.posts(callId.toString())).hasSize(2);
    assertThat(recorder.stats().webhookDelivered()).isZero();
  }

  @Test
  @DisplayName(
      "with the receiver down, each call is dropped after its tries, counted in the metric and logged")
  void receiverDown(Vertx vertx) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (TestTelemetry telemetry = TestTelemetry.start();
        LogCapture log = new LogCapture(WebhookSender.class)) {
      recorder =
          RecorderFixture.start(
              vertx,
              database
                  .config()
                  .put("WEBHOOK_URL", "http://127.0.0.1:" + closed + "/hook")
                  .put("WEBHOOK_RETRY_MS", "20")
                  .put("WEBHOOK_MAX_ATTEMPTS", "3"),
              telemetry.openTelemetry());
      completedCall();
      completedCall();

      until(SOON, "both calls given up", () -> recorder.stats().webhookRetriesExhausted() == 2);

      assertThat(recorder.stats().writtenEvents()).isEqualTo(4);
      assertThat(recorder.stats().webhookDelivered()).isZero();
      assertThat(dropped(telemetry, "retries_exhausted")).isEqualTo(2);
      assertThat(log.lines(Level.WARN))
          .first()
          .asString()
          .startsWith("dropped webhook POSTs of completed calls: 1 in total so far")
          .contains("retries_exhausted: 3 tries failed");
    }
  }

  @Test
  @DisplayName(
      "with the queue full, further calls are dropped and counted while every event is still written")
  void fullQueue(Vertx vertx) {
    receiver = WebhookReceiver.hanging(vertx);
    recorder =
        start(
            vertx,
            new JsonObject().put("WEBHOOK_QUEUE_SIZE", "2").put("WEBHOOK_TIMEOUT_MS", "60000"));
    for (int i = 0; i < 20; i++) {
      completedCall();
    }

    until(SOON, "every event written", () -> recorder.stats().writtenEvents() == 40);
    until(SOON, "14 calls dropped", () -> recorder.stats().webhookQueueFull() == 14);
    until(SOON, "4 POSTs at the receiver", () -> receiver.posts().size() == 4);

    assertThat(recorder.stats().webhookQueued()).isEqualTo(6);
    assertThat(recorder.stats().droppedEvents()).isZero();
    assertThat(recorder.stats().webhookDelivered()).isZero();
  }

  private RecorderFixture start(Vertx vertx, JsonObject overrides) {
    return RecorderFixture.start(
        vertx, database.config().put("WEBHOOK_URL", receiver.url()).mergeIn(overrides));
  }

  private UUID completedCall() {
    UUID callId = UUID.randomUUID();
    recorder.record(request(callId));
    recorder.record(response(callId, 200));
    return callId;
  }

  private JsonObject only(UUID callId) {
    var posts = receiver.posts(callId.toString());
    assertThat(posts).as("POSTs of " + callId).hasSize(1);
    return posts.get(0).body();
  }

  private static JsonObject request(UUID callId) {
    return RecorderFixture.event(callId, Fields.EVENT_REQUEST, 0)
        .put(
            Fields.CALL,
            new JsonObject()
                .put(Fields.MODEL, "gpt-4o")
                .put(Fields.PROVIDER, "openai")
                .put(Fields.API, "openai")
                .put(Fields.STREAM, false)
                .put(Fields.CREATED_AT, Instant.now().toString()));
  }

  private static JsonObject blockedRequest(UUID callId) {
    String now = Instant.now().toString();
    return RecorderFixture.event(callId, Fields.EVENT_REQUEST, 0)
        .put(
            Fields.CALL,
            new JsonObject()
                .put(Fields.MODEL, "gpt-4o")
                .put(Fields.API, "openai")
                .put(Fields.STATUS, 403)
                .put(Fields.CREATED_AT, now)
                .put(Fields.COMPLETED_AT, now));
  }

  private static JsonObject response(UUID callId, int status) {
    return RecorderFixture.event(callId, Fields.EVENT_RESPONSE, 1)
        .put(
            Fields.CALL,
            new JsonObject()
                .put(Fields.STATUS, status)
                .put(Fields.COMPLETED_AT, Instant.now().toString()));
  }

  private static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static long dropped(TestTelemetry telemetry, String reason) {
    Attributes attributes = Attributes.of(TelemetryNames.DROP_REASON, reason);
    return telemetry
        .metric(RecorderMetrics.WEBHOOK_DROPPED)
        .flatMap(
            metric ->
                metric.getLongSumData().getPoints().stream()
                    .filter(point -> point.getAttributes().equals(attributes))
                    .findFirst())
        .map(LongPointData::getValue)
        .orElse(-1L);
  }
}
