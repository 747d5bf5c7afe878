package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.assertOutageLoggedOnce;
import static io.luthien.recorder.RecorderFixture.callIds;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import io.luthien.shared.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stops the machine's real PostgreSQL for a few seconds: keep this the only test here that does.
 */
@ExtendWith(VertxExtension.class)
class PostgresOutageTest {

  @AfterEach
  void postgresIsBack() {
    LocalServices.ensurePostgresUp();
  }

  @Test
  @DisplayName(
      "events sent while PostgreSQL is stopped wait in the buffer and are all written once it is back")
  void outage(Vertx vertx) {
    LocalServices.ensurePostgresUp();
    RecorderFixture recorder =
        RecorderFixture.start(vertx, new JsonObject().put(RecorderSettings.RETRY_MAX_MS, "400"));
    List<UUID> calls = callIds(10);
    recorder.recordFirstEvent(calls.get(0));

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      try {
        LocalServices.stopPostgres();
        recorder.recordChunks(calls, 1, 200);
        until(Duration.ofSeconds(5), "writes failing", () -> recorder.stats().failedWrites() >= 2);
        assertThat(recorder.stats().queueSize()).isEqualTo(200);
      } finally {
        LocalServices.ensurePostgresUp();
      }
      recorder.untilWritten(201);

      assertThat(new TestDatabase(vertx).eventCount(calls)).isEqualTo(201);
      assertThat(recorder.stats().droppedEvents()).isZero();
      assertThat(recorder.stats().queueSize()).isZero();
      assertOutageLoggedOnce(logs, 200);
    }
  }
}
