package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.activityEvent;
import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.LocalServices;
import io.luthien.shared.MessageHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ActivityRelayTest {

  @Test
  @DisplayName("without REDIS_URL an activity event arrives unchanged on the activity.feed address")
  void eventBusFeed(Vertx vertx) throws Exception {
    RecorderFixture recorder = RecorderFixture.start(vertx);
    CompletableFuture<Message<JsonObject>> received = new CompletableFuture<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.ACTIVITY_FEED, received::complete)
            .completion());
    JsonObject event = activityEvent(UUID.randomUUID(), "hello");

    recorder.activity(event);

    Message<JsonObject> message = received.get(5, TimeUnit.SECONDS);
    assertThat(message.body()).isEqualTo(event);
    assertThat(message.headers().get(MessageHeaders.CALL_ID)).isEqualTo(event.getString("call_id"));
    until(
        Duration.ofSeconds(2), "counted as relayed", () -> recorder.stats().relayedActivity() == 1);
  }

  @Test
  @DisplayName(
      "an activity event that breaks the contract is counted as lost and never reaches the feed")
  void malformedActivity(Vertx vertx) throws Exception {
    RecorderFixture recorder = RecorderFixture.start(vertx);
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.ACTIVITY_FEED, message -> received.add(message.body()))
            .completion());
    UUID callId = UUID.randomUUID();

    recorder.activity(activityEvent(callId, "no data").put(Fields.DATA, "not an object"));
    recorder.activity(activityEvent(callId, "no type").putNull(Fields.EVENT_TYPE));
    recorder.activity(activityEvent(callId, "good"));

    until(
        Duration.ofSeconds(5),
        "the good event relayed",
        () -> recorder.stats().relayedActivity() == 1);
    assertThat(received)
        .extracting(event -> event.getJsonObject(Fields.DATA).getString("preview"))
        .containsExactly("good");
    assertThat(recorder.stats().droppedActivity()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "with REDIS_URL an activity event reaches a Redis subscriber of luthien:activity unchanged")
  void redisFeed(Vertx vertx) throws Exception {
    LocalServices.ensureRedisUp();
    RecorderFixture recorder =
        RecorderFixture.start(vertx, new JsonObject().put("REDIS_URL", RedisSubscriber.URL));
    UUID callId = UUID.randomUUID();
    JsonObject event = activityEvent(callId, "hello redis");

    try (RedisSubscriber subscriber = RedisSubscriber.subscribe(vertx)) {
      recorder.activity(event);

      assertThat(nextOf(subscriber, callId)).isEqualTo(event);
      assertThat(recorder.stats().droppedActivity()).isZero();
    }
  }

  @Test
  @DisplayName(
      "while Redis is down activity events are counted as lost; once it is back they flow again, no restart")
  void redisOutage(Vertx vertx) throws Exception {
    LocalServices.ensureRedisUp();
    RecorderFixture recorder =
        RecorderFixture.start(vertx, new JsonObject().put("REDIS_URL", RedisSubscriber.URL));
    UUID callId = UUID.randomUUID();
    try {
      LocalServices.stopRedis();
      for (int i = 0; i < 20; i++) {
        recorder.activity(activityEvent(callId, "lost " + i));
      }
      until(
          Duration.ofSeconds(5),
          "20 events counted as lost",
          () -> recorder.stats().droppedActivity() == 20);
    } finally {
      LocalServices.ensureRedisUp();
    }

    try (RedisSubscriber subscriber = RedisSubscriber.subscribe(vertx)) {
      JsonObject received = null;
      for (int attempt = 0; attempt < 50 && received == null; attempt++) {
        recorder.activity(activityEvent(callId, "back " + attempt));
        received = subscriber.next(200);
      }
      assertThat(received).as("an event published after Redis came back").isNotNull();
      assertThat(received.getJsonObject("data").getString("preview")).startsWith("back ");
      until(
          Duration.ofSeconds(5),
          "the relayed event counted",
          () -> recorder.stats().relayedActivity() > 0);
    }
  }

  @Test
  @DisplayName(
      "an unreachable Redis at start does not stop the recorder: activity is counted as lost, events are recorded")
  void redisUnreachableAtStart(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx, new JsonObject().put("REDIS_URL", "redis://127.0.0.1:" + closedPort));
    UUID callId = UUID.randomUUID();

    recorder.activity(activityEvent(callId, "nobody listens"));
    recorder.record(RecorderFixture.event(callId, "request", 0));

    until(
        Duration.ofSeconds(5),
        "the activity event counted as lost",
        () -> recorder.stats().droppedActivity() == 1);
    until(
        Duration.ofSeconds(5),
        "the recorded event written",
        () -> recorder.stats().writtenEvents() == 1);
  }

  /** Skips what other suites publish on the shared channel. */
  private static JsonObject nextOf(RedisSubscriber subscriber, UUID callId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonObject message = subscriber.next(100);
      if (message != null && callId.toString().equals(message.getString("call_id"))) {
        return message;
      }
    }
    return null;
  }
}
