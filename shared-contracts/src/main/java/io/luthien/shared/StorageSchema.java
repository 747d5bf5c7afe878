package io.luthien.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of ARCHITECTURE §4, brought up to date by Flyway's versioned migrations
 * ({@code db/migration/V*__*.sql} in this module). The recorder and the debug API both run it at start: Flyway
 * serialises concurrent runs with a database lock, so whichever starts first creates the tables.
 */
public final class StorageSchema {

  private static final Logger log = LoggerFactory.getLogger(StorageSchema.class);

  private StorageSchema() {
  }

  public static Future<Void> migrate(Vertx vertx, DatabaseSettings database) {
    return vertx.executeBlocking(() -> {
      MigrateResult result = Flyway.configure(StorageSchema.class.getClassLoader())
          .dataSource(database.jdbcUrl(), database.connectOptions().getUser(), database.connectOptions().getPassword())
          .locations("classpath:db/migration")
          .connectRetries(10)
          .load()
          .migrate();
      log.info("storage schema at version {} on {} ({} migrations applied now)", result.targetSchemaVersion,
          database.describe(), result.migrationsExecuted);
      return null;
    });
  }
}
