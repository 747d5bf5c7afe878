package io.luthien.shared;

import io.vertx.pgclient.PgConnectOptions;

/**
 * Where the recorder and the debug API find PostgreSQL: {@code DATABASE_URL} as a libpq URI ({@code
 * postgresql://user:password@host:port/database}; a {@code jdbc:} prefix is accepted too).
 */
public record DatabaseSettings(PgConnectOptions connectOptions, int poolSize) {

  public static final String DATABASE_URL = "DATABASE_URL";

  public static DatabaseSettings from(Settings settings) {
    String url = settings.string(DATABASE_URL, null);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          DATABASE_URL
              + " is not set (the launcher sets it to its embedded "
              + "PostgreSQL when it starts one)");
    }
    PgConnectOptions options;
    try {
      options =
          PgConnectOptions.fromUri(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException(
          DATABASE_URL + " is not a postgresql:// URI: " + malformed.getMessage());
    }
    options.setPipeliningLimit(16);
    return new DatabaseSettings(options, settings.integer("DATABASE_POOL_SIZE", 4));
  }

  /** The same database for JDBC, which the migration library needs. */
  public String jdbcUrl() {
    return "jdbc:postgresql://"
        + connectOptions.getHost()
        + ":"
        + connectOptions.getPort()
        + "/"
        + connectOptions.getDatabase();
  }

  /** For logs: where, without the password. */
  public String describe() {
    return connectOptions.getUser()
        + "@"
        + connectOptions.getHost()
        + ":"
        + connectOptions.getPort()
        + "/"
        + connectOptions.getDatabase();
  }
}
