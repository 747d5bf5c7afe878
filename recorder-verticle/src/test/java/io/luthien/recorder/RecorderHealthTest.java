package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.TcpGate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real PostgreSQL behind a gate that the test shuts, so it is unreachable to the recorder. */
@ExtendWith(VertxExtension.class)
class RecorderHealthTest {

  @Test
  @DisplayName(
      "a recorder whose writes fail three times in a row says it cannot write and why, and can again once a write succeeds")
  void failingWrites(Vertx vertx) {
    TcpGate gate = await(TcpGate.toPostgres(vertx));
    RecorderFixture recorder =
        RecorderFixture.startBehind(
            gate,
            vertx,
            new JsonObject()
                .put(RecorderSettings.RETRY_MIN_MS, "50")
                .put(RecorderSettings.RETRY_MAX_MS, "200"));
    UUID call = UUID.randomUUID();
    recorder.recordFirstEvent(call);
    RecorderHealth writing = recorder.stats().health();
    assertThat(writing.canWrite()).isTrue();
    assertThat(writing.millisSinceLastWrite()).isNotNull().isLessThan(10_000L);

    gate.shut();
    recorder.recordChunks(List.of(call), 1, 20);
    until(
        Duration.ofSeconds(10),
        "the recorder says it cannot write",
        () -> !recorder.stats().health().canWrite());
    recorder.untilQueued(20);
    RecorderHealth failing = recorder.stats().health();
    assertThat(failing.problem()).contains("writes to PostgreSQL failed");
    assertThat(failing.consecutiveFailedWrites()).isGreaterThanOrEqualTo(3);
    assertThat(failing.lastFailure()).isNotBlank();
    assertThat(failing.queuedEvents()).isEqualTo(20);
    assertThat(failing.queuedBytes()).isPositive();
    assertThat(failing.toJson().getString("status")).isEqualTo("cannot_write");

    gate.reopen();
    recorder.untilWritten(21);
    RecorderHealth back = recorder.stats().health();
    assertThat(back.canWrite()).isTrue();
    assertThat(back.consecutiveFailedWrites()).isZero();
    assertThat(back.queuedEvents()).isZero();
    assertThat(back.oldestWaitingMillis()).isZero();
  }

  @Test
  @DisplayName(
      "a recorder whose buffer is 90 % full says it cannot write before it drops anything, and after it dropped")
  void bufferFilling(Vertx vertx) {
    TcpGate gate = await(TcpGate.toPostgres(vertx));
    RecorderFixture recorder =
        RecorderFixture.startBehind(
            gate,
            vertx,
            new JsonObject()
                .put(RecorderSettings.BUFFER_MAX, "10")
                .put(RecorderSettings.RETRY_MIN_MS, "60000")
                .put(RecorderSettings.RETRY_MAX_MS, "60000"));
    UUID call = UUID.randomUUID();
    gate.shut();
    recorder.recordChunks(List.of(call), 0, 9);
    until(Duration.ofSeconds(10), "a write failed", () -> recorder.stats().failedWrites() == 1);
    recorder.untilQueued(9);

    RecorderHealth nearlyFull = recorder.stats().health();
    assertThat(nearlyFull.consecutiveFailedWrites()).isEqualTo(1);
    assertThat(nearlyFull.bufferPercent()).isEqualTo(90);
    assertThat(nearlyFull.problem()).isEqualTo("the buffer is 90 % full");

    recorder.recordChunks(List.of(call), 9, 2);
    until(Duration.ofSeconds(5), "an event dropped", () -> recorder.stats().droppedEvents() == 1);
    assertThat(recorder.stats().health().problem()).isEqualTo("the buffer is 100 % full");
    assertThat(recorder.stats().health().droppedEvents()).isEqualTo(1);
    gate.reopen();
  }
}
