package io.luthien.recorder;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventStore} that no single event can block: a batch that fails for a reason other than
 * the database being unavailable is split in halves, and halves again, until the events that fail
 * on their own are found; each is counted (rejected by PostgreSQL, or unstorable when the client
 * itself failed on it) and logged with its call id, and the rest is written. A database that is
 * unavailable fails the whole write, for the {@link BatchWriter} to retry it later.
 */
final class IsolatingStore implements EventStore {

  private static final Logger log = LoggerFactory.getLogger(IsolatingStore.class);

  /**
   * SQLSTATE classes about the data itself (data exception, integrity, program limit): no retry can
   * help.
   */
  private static final Set<String> DATA_ERROR_CLASSES = Set.of("22", "23", "54");

  /**
   * SQLSTATEs of a database that is there but not able to write now: connection, authorization,
   * missing database, insufficient resources, operator intervention, system error, rollbacks
   * (deadlock, serialization), locks, and the schema not migrated yet.
   */
  private static final Set<String> UNAVAILABLE_CLASSES =
      Set.of("08", "28", "3D", "40", "53", "55", "57", "58");

  private static final String UNDEFINED_TABLE = "42P01";

  private final EventStore store;
  private final RecorderStats stats;

  IsolatingStore(EventStore store, RecorderStats stats) {
    this.store = store;
    this.stats = stats;
  }

  @Override
  public Future<Void> write(List<RecordedEvent> batch) {
    return attempt(batch)
        .recover(
            failure -> {
              if (unavailable(failure)) {
                return Future.failedFuture(failure);
              }
              if (batch.size() == 1) {
                refused(batch.get(0), failure);
                return Future.succeededFuture();
              }
              int half = batch.size() / 2;
              return write(batch.subList(0, half))
                  .compose(written -> write(batch.subList(half, batch.size())));
            });
  }

  /** The database is unreachable or cannot write for now: the same batch may succeed later. */
  static boolean unavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null
            && state.length() == 5
            && (UNAVAILABLE_CLASSES.contains(state.substring(0, 2))
                || UNDEFINED_TABLE.equals(state));
      }
      if (cause instanceof IOException
          || cause instanceof ClosedConnectionException
          || cause instanceof TimeoutException
          || cause.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> attempt(List<RecordedEvent> batch) {
    try {
      return store.write(batch);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void refused(RecordedEvent event, Throwable failure) {
    boolean byPostgres = isDataError(failure);
    long total = byPostgres ? stats.eventRejected() : stats.eventUnstorable();
    log.warn(
        "{} event {} #{} of call_id {} ({} in total): {}",
        byPostgres ? "PostgreSQL refused" : "cannot store",
        RecordedEvent.shortened(event.eventType()),
        event.sequence(),
        event.callId(),
        total,
        LossLog.describe(failure));
  }

  private static boolean isDataError(Throwable failure) {
    return failure instanceof PgException pg
        && pg.getSqlState() != null
        && pg.getSqlState().length() == 5
        && DATA_ERROR_CLASSES.contains(pg.getSqlState().substring(0, 2));
  }
}
