package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RecorderStopTest {

  @Test
  @DisplayName("undeploying the recorder writes what it still buffers before it stops")
  void stopFlushes(Vertx vertx) {
    RecorderFixture recorder =
        RecorderFixture.start(vertx, new JsonObject().put(RecorderSettings.FLUSH_MS, "60000"));
    UUID callId = UUID.randomUUID();
    for (int sequence = 0; sequence < 5; sequence++) {
      recorder.record(event(callId, "policy.chunk", sequence));
    }
    until(Duration.ofSeconds(5), "5 events buffered", () -> recorder.stats().queueSize() == 5);

    recorder.stop();

    assertThat(recorder.stats().writtenEvents()).isEqualTo(5);
    assertThat(new TestDatabase(vertx).eventCount(callId)).isEqualTo(5);
  }
}
