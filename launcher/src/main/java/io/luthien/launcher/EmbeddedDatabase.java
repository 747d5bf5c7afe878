package io.luthien.launcher;

import io.luthien.shared.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's PostgreSQL: a real server (zonky's binaries from Maven Central) whose data
 * directory survives restarts, so a node without {@code DATABASE_URL} stores calls through the same
 * SQL code path as one with a real server. Deployed as a verticle so that closing the node stops
 * the database too.
 */
final class EmbeddedDatabase extends VerticleBase {

  static final String HOST = "127.0.0.1";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private Path directory;
  private DataDirectoryLock lock;
  private EmbeddedPostgres postgres;

  /** {@code postgresql://} URL of the running server, for the verticles deployed after this one. */
  String url() {
    return "postgresql://postgres@" + HOST + ":" + port() + "/postgres";
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
    return vertx.executeBlocking(
        () -> {
          lock = DataDirectoryLock.acquire(dataDir);
          try {
            postgres = startPostgres(port);
          } catch (Exception e) {
            lock.close();
            throw e;
          }
          log.debug(
              "embedded PostgreSQL listening on {}:{}, data in {}",
              HOST,
              postgres.getPort(),
              directory);
          return null;
        });
  }

  private EmbeddedPostgres startPostgres(int port) throws IOException {
    // A taken port makes PostgreSQL exit, and zonky only says it gave up waiting for it ten seconds
    // later.
    ListenAddress address = new ListenAddress("EMBEDDED_POSTGRES_PORT", HOST, port);
    if (port > 0 && !PortInUse.isFree(address)) {
      throw PortInUse.problem(address, null);
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(true);
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
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
