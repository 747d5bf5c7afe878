package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.assertOutageLoggedOnce;
import static io.luthien.recorder.RecorderFixture.callIds;
import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.awaitOn;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Fields;
import io.luthien.shared.LogCapture;
import io.luthien.shared.Settings;
import io.luthien.shared.StorageSchema;
import io.luthien.shared.TcpGate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several batches in flight at once against the real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class ConcurrentWritersTest {

  private static final int CALLS = 50;
  private static final int BATCH = 10;

  @Test
  @DisplayName(
      "two writers whose batches in flight touch the same calls write every event once and merge every call row, without a deadlock")
  void sameCallsAtOnce(Vertx vertx) {
    DatabaseSettings database =
        DatabaseSettings.from(new Settings(new JsonObject().put("DATABASE_URL", TestDatabase.URL)));
    await(StorageSchema.prepare(vertx, database));
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(database.connectOptions())
            .using(vertx)
            .build();
    RecorderStats stats = new RecorderStats();
    PgEventStore postgres = new PgEventStore(pool);
    AtomicInteger writing = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    EventStore counted =
        batch -> {
          mostAtOnce.accumulateAndGet(writing.incrementAndGet(), Math::max);
          return postgres.write(batch).andThen(done -> writing.decrementAndGet());
        };
    BatchWriter writer =
        new BatchWriter(
            vertx,
            new IsolatingStore(counted, stats),
            new RecorderSettings(
                database,
                null,
                BATCH,
                2,
                // batches leave full, never on the timer (a cold first add can take milliseconds)
                60_000,
                10_000,
                20,
                100,
                1_000,
                RecorderSettings.DEFAULT_BUFFER_MAX_BYTES,
                RecorderSettings.DEFAULT_BATCH_MAX_BYTES,
                RecorderSettings.DEFAULT_MAX_PAYLOAD_BYTES,
                RecorderSettings.Retention.FOREVER,
                RecorderSettings.Webhook.OFF),
            stats);
    List<UUID> calls = callIds(CALLS);
    Instant began = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    // per group of BATCH calls: a batch of their requests, one of their chunks (calls reversed),
    // one of their responses; with two writers, the batches in flight together share their calls
    List<RecordedEvent> events = new ArrayList<>();
    for (int group = 0; group < CALLS; group += BATCH) {
      List<UUID> members = calls.subList(group, group + BATCH);
      for (UUID call : members) {
        events.add(request(call, began));
      }
      for (int i = members.size() - 1; i >= 0; i--) {
        events.add(RecordedEvent.fromJson(event(members.get(i), "policy.chunk", 1)));
      }
      for (UUID call : members) {
        events.add(response(call));
      }
    }
    Context context = vertx.getOrCreateContext();

    awaitOn(
        context,
        () -> {
          events.forEach(writer::add);
          return Future.succeededFuture();
        });
    until(
        Duration.ofSeconds(20),
        "every event written",
        () -> stats.writtenEvents() == events.size());

    assertThat(mostAtOnce.get()).as("batches in flight at once").isEqualTo(2);
    assertThat(stats.writtenBatches()).isEqualTo(events.size() / BATCH);
    assertThat(stats.failedWrites()).as("no deadlock, no failure").isZero();
    assertThat(stats.rejectedEvents()).isZero();
    assertThat(stats.unstorableEvents()).isZero();
    TestDatabase rows = new TestDatabase(vertx);
    assertThat(rows.eventCount(calls)).isEqualTo(events.size());
    for (UUID call : calls) {
      assertThat(rows.events(call))
          .extracting(row -> row.getString("event_type"))
          .containsExactlyInAnyOrder(Fields.EVENT_REQUEST, "policy.chunk", Fields.EVENT_RESPONSE);
      JsonObject row = rows.call(call);
      assertThat(row.getInteger("status")).as("from the response").isEqualTo(200);
      assertThat(row.getString("model")).as("from the request").isEqualTo("gpt-4o");
      assertThat(row.getString("provider")).as("from the response").isEqualTo("openai");
      assertThat(OffsetDateTime.parse(row.getString("created_at")).toInstant())
          .as("the earliest")
          .isEqualTo(began);
      assertThat(row.getString("completed_at")).isNotNull();
    }
    awaitOn(context, () -> writer.drain(1_000));
    await(pool.close());
  }

  @Test
  @DisplayName(
      "with two writers, events sent while PostgreSQL is unreachable all wait and are written once it is back, nothing lost")
  void outage(Vertx vertx) {
    TcpGate gate = await(TcpGate.toPostgres(vertx));
    RecorderFixture recorder =
        RecorderFixture.startBehind(
            gate,
            vertx,
            new JsonObject()
                .put(RecorderSettings.WRITERS, "2")
                .put(RecorderSettings.BATCH_SIZE, "10")
                .put(RecorderSettings.FLUSH_MS, "5")
                .put(RecorderSettings.RETRY_MIN_MS, "50")
                .put(RecorderSettings.RETRY_MAX_MS, "200"));
    List<UUID> calls = callIds(10);
    recorder.recordFirstEvent(calls.get(0));

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      gate.shut();
      recorder.recordChunks(calls, 1, 200);
      until(Duration.ofSeconds(10), "writes failing", () -> recorder.stats().failedWrites() >= 3);
      recorder.untilQueued(200);
      gate.reopen();
      recorder.untilWritten(201);

      assertThat(new TestDatabase(vertx).eventCount(calls)).isEqualTo(201);
      assertThat(recorder.stats().droppedEvents()).isZero();
      assertThat(recorder.stats().rejectedEvents()).isZero();
      assertThat(recorder.stats().unstorableEvents()).isZero();
      assertThat(recorder.stats().queueSize()).isZero();
      assertOutageLoggedOnce(logs, 200);
    }
    recorder.stop();
  }

  @Test
  @DisplayName(
      "a deadlock or serialization failure PostgreSQL reports counts as unavailable: the batch is retried whole, not split")
  void deadlockIsRetried() {
    assertThat(
            IsolatingStore.unavailable(
                new PgException("deadlock detected", "ERROR", "40P01", "Process 1 waits")))
        .isTrue();
    assertThat(
            IsolatingStore.unavailable(
                new PgException("could not serialize access", "ERROR", "40001", null)))
        .isTrue();
    assertThat(
            IsolatingStore.unavailable(
                new PgException("invalid input syntax", "ERROR", "22P02", null)))
        .isFalse();
  }

  private static RecordedEvent request(UUID call, Instant began) {
    return RecordedEvent.fromJson(
        event(call, Fields.EVENT_REQUEST, 0)
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.MODEL, "gpt-4o")
                    .put(Fields.API, Fields.API_OPENAI)
                    .put(Fields.CREATED_AT, began.toString())));
  }

  private static RecordedEvent response(UUID call) {
    return RecordedEvent.fromJson(
        event(call, Fields.EVENT_RESPONSE, 2)
            .put(
                Fields.CALL,
                new JsonObject()
                    .put(Fields.PROVIDER, "openai")
                    .put(Fields.STATUS, 200)
                    .put(Fields.COMPLETED_AT, Instant.now().toString())));
  }
}
