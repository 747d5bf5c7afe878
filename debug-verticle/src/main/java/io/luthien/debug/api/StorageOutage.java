package io.luthien.debug.api;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;

/**
 * Whether a failure means PostgreSQL is not reachable right now (down, restarting, or its tables
 * not migrated yet), which the debug node answers with 503 rather than 500.
 */
public final class StorageOutage {

  private StorageOutage() {}

  public static boolean is(Throwable failure) {
    return failure instanceof ConnectException
        || failure instanceof ClosedConnectionException
        || (failure instanceof PgException pg
            && pg.getSqlState() != null
            && (pg.getSqlState().startsWith("08")
                || pg.getSqlState().startsWith("57P")
                || "42P01".equals(pg.getSqlState())));
  }
}
