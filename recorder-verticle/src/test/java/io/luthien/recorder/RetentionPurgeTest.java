package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.shared.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RetentionPurgeTest {

  private static final Duration DAY = Duration.ofDays(1);

  private static FreshDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = FreshDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void empty() {
    database.update("DELETE FROM conversation_calls", Tuple.tuple());
  }

  @Test
  @DisplayName(
      "a round deletes the calls older than the retention with their events, in batches, and keeps the younger")
  void deletesOnlyWhatIsOlder(Vertx vertx) {
    List<UUID> old = new ArrayList<>();
    old.addAll(calls(20, DAY.multipliedBy(40)));
    old.addAll(calls(12, DAY.multipliedBy(30).plusHours(1)));
    List<UUID> young = new ArrayList<>();
    young.addAll(calls(8, DAY.multipliedBy(30).minusHours(1)));
    young.addAll(calls(5, Duration.ofMinutes(5)));
    RecorderStats stats = new RecorderStats();

    RetentionPurge.Round round = await(purge(vertx, 30, 5, stats).run());

    assertThat(round.ran()).isTrue();
    assertThat(round.deleted()).isEqualTo(32);
    assertThat(round.batches()).isEqualTo(7);
    assertThat(stats.purgedCalls()).isEqualTo(32);
    assertThat(database.calls(old)).isZero();
    assertThat(database.events(old)).isZero();
    assertThat(database.calls(young)).isEqualTo(13);
    assertThat(database.events(young)).isEqualTo(26);
  }

  @Test
  @DisplayName("a policy's model call goes with the call it was made for, even when it is younger")
  void modelCallsGoWithTheirCall(Vertx vertx) {
    UUID parent = database.call(DAY.multipliedBy(30).plusMinutes(1));
    UUID judge = database.call(DAY.multipliedBy(30).minusMinutes(1), parent);
    UUID youngParent = database.call(DAY);
    UUID youngJudge = database.call(DAY, youngParent);

    RetentionPurge.Round round = await(purge(vertx, 30, 1_000, new RecorderStats()).run());

    assertThat(round.deleted()).isEqualTo(2);
    assertThat(database.calls(List.of(parent, judge))).isZero();
    assertThat(database.events(List.of(parent, judge))).isZero();
    assertThat(database.calls(List.of(youngParent, youngJudge))).isEqualTo(2);
  }

  @Test
  @DisplayName("while another node holds the purge lock a round deletes nothing; after, it does")
  void oneNodeAtATime(Vertx vertx) {
    List<UUID> old = calls(10, DAY.multipliedBy(40));
    RetentionPurge purge = purge(vertx, 30, 1_000, new RecorderStats());
    SqlConnection otherNode =
        await(PgConnection.connect(vertx, database.settings().connectOptions()));
    try {
      await(
          otherNode
              .preparedQuery("SELECT pg_advisory_lock($1)")
              .execute(Tuple.of(RetentionPurge.LOCK_KEY)));

      assertThat(await(purge.run())).isEqualTo(RetentionPurge.Round.SKIPPED);
      assertThat(database.calls(old)).isEqualTo(10);

      await(
          otherNode
              .preparedQuery("SELECT pg_advisory_unlock($1)")
              .execute(Tuple.of(RetentionPurge.LOCK_KEY)));
    } finally {
      await(otherNode.close());
    }
    assertThat(await(purge.run()).deleted()).isEqualTo(10);
    assertThat(database.calls(old)).isZero();
  }

  @Test
  @DisplayName("two recorders purging at once delete every old call exactly once between them")
  void twoRecordersAtOnce(Vertx vertx) {
    List<UUID> old = calls(300, DAY.multipliedBy(40));
    List<UUID> young = calls(10, DAY);
    RecorderStats first = new RecorderStats();
    RecorderStats second = new RecorderStats();

    await(Future.all(purge(vertx, 30, 20, first).run(), purge(vertx, 30, 20, second).run()));

    assertThat(first.purgedCalls() + second.purgedCalls()).isEqualTo(300);
    assertThat(database.calls(old)).isZero();
    assertThat(database.calls(young)).isEqualTo(10);
  }

  @Test
  @DisplayName(
      "a recorder with CONVERSATION_RETENTION_DAYS purges on its own schedule, logs the round and counts it")
  void scheduledByTheRecorder(Vertx vertx) {
    List<UUID> old = calls(15, DAY.multipliedBy(8));
    List<UUID> young = calls(3, DAY.multipliedBy(6));
    try (LogCapture log = new LogCapture(RetentionPurge.class)) {
      RecorderFixture recorder =
          RecorderFixture.start(
              vertx,
              database
                  .config()
                  .put("CONVERSATION_RETENTION_DAYS", "7")
                  .put("CONVERSATION_PURGE_INTERVAL_MS", "100")
                  .put("CONVERSATION_PURGE_BATCH_SIZE", "4"));

      until(Duration.ofSeconds(20), "15 calls purged", () -> recorder.stats().purgedCalls() == 15);
      recorder.stop();

      assertThat(database.calls(old)).isZero();
      assertThat(database.calls(young)).isEqualTo(3);
      assertThat(log.lines(Level.INFO))
          .singleElement()
          .asString()
          .startsWith("retention purge deleted 15 recorded calls created before")
          .contains("(7 days kept) in 4 batches");
    }
  }

  @Test
  @DisplayName("without CONVERSATION_RETENTION_DAYS nothing is ever deleted")
  void keptForever(Vertx vertx) {
    RecorderFixture recorder =
        RecorderFixture.start(vertx, database.config().put("CONVERSATION_PURGE_INTERVAL_MS", "10"));
    List<UUID> ancient = calls(3, DAY.multipliedBy(3_650));
    recorder.record(RecorderFixture.event(UUID.randomUUID(), "request", 0));
    until(Duration.ofSeconds(10), "the event written", () -> recorder.stats().writtenEvents() == 1);
    recorder.stop();

    assertThat(recorder.stats().purgedCalls()).isZero();
    assertThat(database.calls(ancient)).isEqualTo(3);
  }

  private static List<UUID> calls(int count, Duration age) {
    return database.calls(count, age);
  }

  private static RetentionPurge purge(Vertx vertx, int days, int batchSize, RecorderStats stats) {
    return new RetentionPurge(
        vertx,
        database.settings().connectOptions(),
        new RecorderSettings.Retention(days, 3_600_000, batchSize),
        stats);
  }
}
