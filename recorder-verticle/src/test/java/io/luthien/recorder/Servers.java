package io.luthien.recorder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops and starts the machine's real PostgreSQL and Redis for outage tests. Other suites use the same servers,
 * so outages stay short, a start only happens when the server does not answer, and every test that stops one
 * starts it again in a {@code finally}.
 */
final class Servers {

  private static final Logger log = LoggerFactory.getLogger(Servers.class);
  private static final Duration UP = Duration.ofSeconds(30);

  private Servers() {
  }

  static void stopPostgres() {
    run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "stop", "-m", "fast");
  }

  /** Starts PostgreSQL if it does not answer, and returns once it accepts connections. */
  static void ensurePostgresUp() {
    if (!postgresUp()) {
      run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start");
    }
    Waiting.until(UP, "PostgreSQL accepts connections", Servers::postgresUp);
  }

  static boolean postgresUp() {
    return exitCode("pg_isready", "-q", "-h", "127.0.0.1") == 0;
  }

  static void stopRedis() {
    run("redis-cli", "-h", "127.0.0.1", "shutdown", "nosave");
  }

  /** Starts Redis if it does not answer, and returns once it does. */
  static void ensureRedisUp() {
    if (!redisUp()) {
      run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
          "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log");
    }
    Waiting.until(UP, "Redis answers PING", Servers::redisUp);
  }

  static boolean redisUp() {
    return output("redis-cli", "-h", "127.0.0.1", "ping").contains("PONG");
  }

  private static void run(String... command) {
    int code = exitCode(command);
    if (code != 0) {
      // another suite may have stopped or started the server at the same moment; callers check the state after
      log.warn("{} exited with {}", String.join(" ", command), code);
    }
  }

  private static int exitCode(String... command) {
    return execute(new ProcessBuilder(List.of(command)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)).exitValue();
  }

  private static String output(String... command) {
    Process process = execute(new ProcessBuilder(List.of(command)).redirectErrorStream(true));
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static Process execute(ProcessBuilder builder) {
    String command = String.join(" ", builder.command());
    try {
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 60 s");
      }
      return process;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }
}
