package io.luthien.debug;

import static io.luthien.debug.RecordedCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.LocalServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The latest events a debug node heard, replayed to a browser that connects to {@code
 * /activity/stream} before the live ones. A {@code witness} connected from the start proves each
 * event reached the node before the late browser connects.
 */
class ActivityReplayTest {

  private static final String KEY = DebugApiTest.ADMIN_KEY;

  private Vertx vertx;
  private int port;
  private final String callId = UUID.randomUUID().toString();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  @DisplayName(
      "a browser that connects late first gets the latest DEBUG_SSE_REPLAY_EVENTS events, oldest first, then the live ones, each once")
  void replaysTheLatestThenGoesLive() {
    deployDebug(3);
    try (SseListener witness = open("/activity/stream")) {
      publishNumbered(witness, 1, 5);

      try (SseListener late = open("/activity/stream")) {
        late.awaitCount(3);
        assertThat(numbers(late)).containsExactly(3, 4, 5);

        publishNumbered(witness, 6, 6);
        late.awaitCount(4);

        assertThat(numbers(late)).containsExactly(3, 4, 5, 6);
        assertThat(late.ids).doesNotHaveDuplicates().doesNotContain("null");
        assertThat(late.ids).isEqualTo(witness.ids.subList(2, 6));
      }
      assertThat(numbers(witness)).containsExactly(1, 2, 3, 4, 5, 6);
    }
  }

  @Test
  @DisplayName("the replay honours the call_id and event_type filters")
  void replayIsFiltered() {
    deployDebug(50);
    String otherCall = UUID.randomUUID().toString();
    try (SseListener witness = open("/activity/stream")) {
      publish(event(callId, "request.received", 1));
      publish(event(callId, "policy.flagged", 2));
      publish(event(otherCall, "policy.flagged", 3));
      publish(event(callId, "response.sent", 4));
      witness.awaitCount(4);

      try (SseListener late = open("/activity/stream?call_id=" + callId + "&event_type=policy.*")) {
        late.awaitCount(1);
        publish(event(callId, "policy.second_look", 5));
        late.awaitCount(2);

        assertThat(numbers(late)).containsExactly(2, 5);
        assertThat(late.events).extracting(e -> e.getString("call_id")).containsOnly(callId);
      }
    }
  }

  @Test
  @DisplayName(
      "a browser that reconnects with Last-Event-ID gets only the events after it; an id from another run of the node replays all")
  void lastEventIdLimitsTheReplay() {
    deployDebug(50);
    try (SseListener witness = open("/activity/stream")) {
      publishNumbered(witness, 1, 4);
      String secondId = witness.ids.get(1);

      try (SseListener resumed =
              SseListener.resume(vertx, port, "/activity/stream", KEY, secondId);
          SseListener stranger =
              SseListener.resume(vertx, port, "/activity/stream", KEY, "not-this-node-2")) {
        resumed.awaitCount(2);
        stranger.awaitCount(4);
        publishNumbered(witness, 5, 5);
        resumed.awaitCount(3);
        stranger.awaitCount(5);

        assertThat(numbers(resumed)).containsExactly(3, 4, 5);
        assertThat(numbers(stranger)).containsExactly(1, 2, 3, 4, 5);
      }
      try (SseListener pageReconnect =
          open("/activity/stream?last_event_id=" + witness.ids.get(3))) {
        pageReconnect.awaitCount(1);
        assertThat(numbers(pageReconnect)).containsExactly(5);
      }
    }
  }

  @Test
  @DisplayName("with DEBUG_SSE_REPLAY_EVENTS=0 a browser gets only what happens after it connects")
  void replayOff() {
    deployDebug(0);
    try (SseListener witness = open("/activity/stream")) {
      publishNumbered(witness, 1, 2);

      try (SseListener late = open("/activity/stream")) {
        publishNumbered(witness, 3, 3);
        late.awaitCount(1);

        assertThat(numbers(late)).containsExactly(3);
      }
    }
  }

  @Test
  @DisplayName("events published while browsers connect reach each of them exactly once, in order")
  void noGapOrRepeatWhileConnecting() {
    deployDebug(1_000);
    int batches = 12;
    int batchSize = 10;
    List<SseListener> browsers = new ArrayList<>();
    try (SseListener witness = open("/activity/stream")) {
      for (int batch = 0; batch < batches; batch++) {
        // Each browser connects while a batch is being published; batches stay small so no browser
        // falls behind
        // far enough to be skipped as a slow reader.
        CompletableFuture<SseListener> connecting =
            CompletableFuture.supplyAsync(() -> open("/activity/stream"));
        for (int n = batch * batchSize + 1; n <= (batch + 1) * batchSize; n++) {
          publish(event(callId, "stream.chunk", n));
        }
        browsers.add(connecting.join());
        witness.awaitCount((batch + 1) * batchSize);
      }

      List<Integer> all = IntStream.rangeClosed(1, batches * batchSize).boxed().toList();
      for (SseListener browser : browsers) {
        browser.awaitCount(all.size());
      }
      LocalServices.sleep(100);
      for (SseListener browser : browsers) {
        assertThat(numbers(browser)).containsExactlyElementsOf(all);
      }
    } finally {
      browsers.forEach(SseListener::close);
    }
  }

  private void deployDebug(int replayEvents) {
    DebugVerticle debug = new DebugVerticle();
    await(
        vertx.deployVerticle(
            debug,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("DEBUG_PORT", "0")
                        .put("ADMIN_API_KEY", KEY)
                        .put("DATABASE_URL", RecordedCalls.DATABASE_URL)
                        .put("DEBUG_SSE_REPLAY_EVENTS", String.valueOf(replayEvents)))));
    port = debug.actualPort();
  }

  private SseListener open(String uri) {
    return SseListener.open(vertx, port, uri, KEY);
  }

  /**
   * Publishes events numbered {@code from} to {@code to} and waits until the witness has them all.
   */
  private void publishNumbered(SseListener witness, int from, int to) {
    for (int n = from; n <= to; n++) {
      publish(event(callId, "request.received", n));
    }
    witness.awaitCount(to);
  }

  private void publish(JsonObject event) {
    vertx.eventBus().publish(Addresses.ACTIVITY_FEED, event);
  }

  private static List<Integer> numbers(SseListener browser) {
    return browser.events.stream().map(e -> e.getJsonObject("data").getInteger("n")).toList();
  }

  private static JsonObject event(String callId, String type, int n) {
    return new JsonObject()
        .put("call_id", callId)
        .put("event_type", type)
        .put("timestamp", Instant.now().toString())
        .put("data", new JsonObject().put("model", "mock").put("n", n));
  }
}
