package io.luthien.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of ARCHITECTURE §4, brought up to date by Flyway's versioned migrations ({@code
 * db/migration/V*__*.sql} in this module). The recorder and the debug API both run it at start:
 * Flyway serialises concurrent runs with a database lock, so whichever starts first creates the
 * tables.
 */
public final class StorageSchema {

  private static final Logger log = LoggerFactory.getLogger(StorageSchema.class);
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_RETRY_MS = 30_000;

  private StorageSchema() {}

  /** One migration attempt; fails when the database cannot be reached or a migration fails. */
  public static Future<Void> migrate(Vertx vertx, DatabaseSettings database) {
    return vertx.executeBlocking(
        () -> {
          MigrateResult result =
              Flyway.configure(StorageSchema.class.getClassLoader())
                  .dataSource(
                      database.jdbcUrl(),
                      database.connectOptions().getUser(),
                      database.connectOptions().getPassword())
                  .locations("classpath:db/migration")
                  .load()
                  .migrate();
          // Recorder and debug both check the schema at start: only a change is worth a line at
          // INFO.
          if (result.migrationsExecuted > 0) {
            log.info(
                "storage schema at version {} on {} ({} migrations applied now)",
                result.targetSchemaVersion,
                database.describe(),
                result.migrationsExecuted);
          } else {
            log.debug("storage schema already up to date on {}", database.describe());
          }
          return null;
        });
  }

  /**
   * Migrates now if PostgreSQL answers; if it does not, keeps trying in the background (1 s
   * doubling to 30 s) and completes anyway, so a node starts while its database is down: the
   * recorder keeps events buffered and retries its writes, the debug API answers 503 until the
   * tables are there.
   */
  public static Future<Void> prepare(Vertx vertx, DatabaseSettings database) {
    return migrate(vertx, database)
        .recover(
            failure -> {
              log.warn(
                  "cannot prepare the storage schema on {} yet ({}); retrying in the background",
                  database.describe(),
                  rootMessage(failure));
              retryLater(vertx, database, FIRST_RETRY_MS);
              return Future.succeededFuture();
            });
  }

  private static void retryLater(Vertx vertx, DatabaseSettings database, long delayMillis) {
    vertx.setTimer(
        delayMillis,
        id ->
            migrate(vertx, database)
                .onFailure(
                    failure -> {
                      long next = Math.min(delayMillis * 2, MAX_RETRY_MS);
                      log.warn(
                          "storage schema on {} still not ready ({}); next try in {} ms",
                          database.describe(),
                          rootMessage(failure),
                          next);
                      retryLater(vertx, database, next);
                    }));
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
