package io.luthien.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Stops and starts the machine's real PostgreSQL cluster (the commands CI uses), for outage tests. */
final class LocalPostgres {

  static final String URL = "postgresql://postgres@127.0.0.1:5432/test";

  private LocalPostgres() {
  }

  static void stop() {
    run("pg_ctlcluster", "--skip-systemctl-redirect", version(), "main", "stop", "-m", "fast");
  }

  /** Starts PostgreSQL if it is not answering, and waits until it does. */
  static void ensureRunning() {
    if (!answers()) {
      run("pg_ctlcluster", "--skip-systemctl-redirect", version(), "main", "start");
    }
    for (int i = 0; i < 100 && !answers(); i++) {
      sleep(100);
    }
    if (!answers()) {
      throw new AssertionError("PostgreSQL did not come back on 127.0.0.1:5432");
    }
  }

  static boolean answers() {
    return run("pg_isready", "-h", "127.0.0.1", "-p", "5432").contains("accepting connections");
  }

  private static String version() {
    try (var versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions.map(path -> path.getFileName().toString()).findFirst()
          .orElseThrow(() -> new AssertionError("no PostgreSQL cluster under /etc/postgresql"));
    } catch (IOException e) {
      throw new AssertionError("cannot read /etc/postgresql: " + e.getMessage(), e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      process.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
