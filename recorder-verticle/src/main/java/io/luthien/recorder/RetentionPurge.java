package io.luthien.recorder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recorded calls older than {@code CONVERSATION_RETENTION_DAYS}, every {@code
 * CONVERSATION_PURGE_INTERVAL_MS}: their events go with them ({@code ON DELETE CASCADE}), and a
 * policy's model calls (rows naming them in {@code parent_call_id}) go with the call they were made
 * for, whatever their own age. One node purges at a time: a round takes a PostgreSQL advisory lock
 * on a connection of its own, and a node that does not get it skips the round. The rows go in
 * batches of {@code CONVERSATION_PURGE_BATCH_SIZE} calls, one short statement each with a pause
 * between them, so the recorder's writes are never held up for long.
 */
final class RetentionPurge {

  private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

  /** The advisory lock's key, the same on every node: "luthien" and 1. */
  static final long LOCK_KEY = 0x6c75746869656e01L;

  /** Between two batches, so that the recorder's transactions get the table in between. */
  private static final long PAUSE_MILLIS = 20;

  /**
   * The oldest calls' ids, whatever their order (one index range), then those calls and their model
   * calls; the CTE is evaluated once.
   */
  private static final String DELETE_BATCH =
      """
      WITH old AS (SELECT call_id FROM conversation_calls WHERE created_at < $1 LIMIT $2)
      DELETE FROM conversation_calls
       WHERE call_id = ANY (ARRAY(SELECT call_id FROM old))
          OR parent_call_id = ANY (ARRAY(SELECT call_id FROM old))""";

  /**
   * What a round did.
   *
   * @param ran whether this node held the lock (false: another node was purging)
   * @param deleted calls deleted, model calls included
   * @param batches {@code DELETE} statements run
   */
  record Round(boolean ran, long deleted, int batches) {

    static final Round SKIPPED = new Round(false, 0, 0);

    Round plus(long calls) {
      return new Round(true, deleted + calls, batches + 1);
    }
  }

  private final Vertx vertx;
  private final PgConnectOptions database;
  private final RecorderSettings.Retention retention;
  private final RecorderStats stats;
  private long timer = -1;
  private boolean stopped;
  private Future<Round> running;

  RetentionPurge(
      Vertx vertx,
      PgConnectOptions database,
      RecorderSettings.Retention retention,
      RecorderStats stats) {
    this.vertx = vertx;
    this.database = database;
    this.retention = retention;
    this.stats = stats;
  }

  /** Schedules the rounds: the first soon after start, then one every interval. */
  void start() {
    timer = vertx.setTimer(retention.firstRunDelayMillis(), fired -> scheduledRound());
  }

  /** No new round; a round in progress stops after its current batch, and this waits for it. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return running == null ? Future.succeededFuture() : running.<Void>mapEmpty().otherwiseEmpty();
  }

  /** One round now: everything older than the retention, or nothing when another node purges. */
  Future<Round> run() {
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(retention.days());
    long started = System.nanoTime();
    return PgConnection.connect(vertx, database)
        .compose(connection -> locked(connection, cutoff).eventually(connection::close))
        .onSuccess(round -> logged(round, cutoff, started));
  }

  private void scheduledRound() {
    running =
        run()
            .onFailure(
                failure ->
                    log.warn(
                        "retention purge failed ({}); next round in {} ms",
                        LossLog.describe(failure),
                        retention.intervalMillis()))
            .andThen(
                done -> {
                  running = null;
                  if (!stopped) {
                    timer = vertx.setTimer(retention.intervalMillis(), fired -> scheduledRound());
                  }
                });
  }

  private Future<Round> locked(SqlConnection connection, OffsetDateTime cutoff) {
    return connection
        .preparedQuery("SELECT pg_try_advisory_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(
            rows -> {
              if (!rows.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(Round.SKIPPED);
              }
              return batches(connection, cutoff, new Round(true, 0, 0))
                  .eventually(
                      () ->
                          connection
                              .preparedQuery("SELECT pg_advisory_unlock($1)")
                              .execute(Tuple.of(LOCK_KEY)));
            });
  }

  private Future<Round> batches(SqlConnection connection, OffsetDateTime cutoff, Round before) {
    return connection
        .preparedQuery(DELETE_BATCH)
        .execute(Tuple.of(cutoff, retention.batchSize()))
        .compose(
            deleted -> {
              stats.callsPurged(deleted.rowCount());
              Round after = before.plus(deleted.rowCount());
              // fewer rows than a batch: fewer old calls than a batch were left (model calls only
              // add rows)
              if (deleted.rowCount() < retention.batchSize() || stopped) {
                return Future.succeededFuture(after);
              }
              return vertx
                  .timer(PAUSE_MILLIS, TimeUnit.MILLISECONDS)
                  .compose(paused -> batches(connection, cutoff, after));
            });
  }

  private void logged(Round round, OffsetDateTime cutoff, long startedNanos) {
    if (!round.ran()) {
      log.debug("retention purge skipped: another node holds the purge lock");
    } else if (round.deleted() > 0) {
      log.info(
          "retention purge deleted {} recorded calls created before {} ({} days kept) in {} batches, {} ms",
          round.deleted(),
          cutoff,
          retention.days(),
          round.batches(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }
  }
}
