package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.RecorderPressure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowControlTest {

  private final FreshDatabase database = FreshDatabase.create();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    await(vertx.close());
    database.close();
  }

  @Test
  @DisplayName(
      "behind from half the buffer up, caught up at 40 % or below, and never while writes fail")
  void hysteresis() {
    assertThat(FlowControl.behind(false, 49, false)).isFalse();
    assertThat(FlowControl.behind(false, 50, false)).isTrue();
    assertThat(FlowControl.behind(true, 41, false)).isTrue();
    assertThat(FlowControl.behind(true, 40, false)).isFalse();
    assertThat(FlowControl.behind(false, 100, true)).isFalse();
    assertThat(FlowControl.behind(true, 100, true)).isFalse();
  }

  @Test
  @DisplayName(
      "a recorder whose writes wait on PostgreSQL (a lock, not a failure) says it is behind once half its "
          + "buffer is taken, and caught up once it has written everything: nothing is dropped")
  void behindWhilePostgresIsSlow() {
    List<RecorderPressure> said = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.RECORDER_PRESSURE,
                message -> said.add(RecorderPressure.fromJson(message.body())))
            .completion());
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx,
            database
                .config()
                .put(RecorderSettings.BUFFER_MAX, "20")
                .put(RecorderSettings.BATCH_SIZE, "5")
                .put(RecorderSettings.FLUSH_MS, "10"));
    SqlConnection lock = await(database.pool.getConnection());
    await(lock.query("BEGIN").execute());
    await(lock.query("LOCK TABLE conversation_events IN EXCLUSIVE MODE").execute());

    for (int i = 0; i < 12; i++) {
      recorder.record(RecorderFixture.event(UUID.randomUUID(), "request", 0));
    }
    Waiting.until(
        Duration.ofSeconds(5),
        "the recorder says it is behind",
        () -> said.stream().anyMatch(RecorderPressure::behind));
    assertThat(recorder.stats().writtenEvents()).isZero();
    await(lock.query("ROLLBACK").execute());
    await(lock.close());

    Waiting.until(
        Duration.ofSeconds(5),
        "the recorder says it caught up",
        () -> !said.isEmpty() && !said.get(said.size() - 1).behind());
    assertThat(recorder.stats().writtenEvents()).isEqualTo(12);
    assertThat(recorder.stats().droppedEvents()).isZero();
    assertThat(said.get(0).bufferPercent()).isGreaterThanOrEqualTo(FlowControl.BEHIND_PERCENT);
    assertThat(said).extracting(RecorderPressure::recorder).containsOnly(said.get(0).recorder());
  }
}
