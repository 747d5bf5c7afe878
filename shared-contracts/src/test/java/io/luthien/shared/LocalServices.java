package io.luthien.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The machine's real PostgreSQL and Redis on loopback, as the tests use them, and the commands that
 * stop and start them for outage tests (the same ones {@code .ci/run} uses). Other suites use the
 * same servers, so outages stay short, a start only happens when the server does not answer, and
 * every test that stops one starts it again in a {@code finally}.
 */
public final class LocalServices {

  public static final String POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";
  public static final String REDIS_URL = "redis://127.0.0.1:6379";

  private static final long UP_WITHIN_MS = 30_000;

  private LocalServices() {}

  public static void stopPostgres() {
    run(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        postgresVersion(),
        "main",
        "stop",
        "-m",
        "fast");
  }

  /** Starts PostgreSQL if it does not answer, and returns once it accepts connections. */
  public static void ensurePostgresUp() {
    if (!postgresUp()) {
      run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start");
    }
    waitUntil("PostgreSQL accepts connections on 127.0.0.1:5432", LocalServices::postgresUp);
  }

  public static boolean postgresUp() {
    return output("pg_isready", "-h", "127.0.0.1", "-p", "5432").contains("accepting connections");
  }

  /**
   * A new, empty database on the local PostgreSQL, for a test whose stored state (a policy set at
   * run time) would leak into other tests through the shared {@code test} database; its URL.
   */
  public static String freshDatabase() {
    String name = "luthien_" + Long.toHexString(System.nanoTime());
    String out =
        output(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "test",
            "-c",
            "CREATE DATABASE " + name);
    if (!out.contains("CREATE DATABASE")) {
      throw new AssertionError("cannot create database " + name + ": " + out);
    }
    return "postgresql://postgres@127.0.0.1:5432/" + name;
  }

  /** Drops a database {@link #freshDatabase} made, with whatever still holds connections to it. */
  public static void dropDatabase(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    run(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        "test",
        "-c",
        "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  public static void stopRedis() {
    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave");
  }

  /** Starts Redis if it does not answer, and returns once it does. */
  public static void ensureRedisUp() {
    if (!redisUp()) {
      run(
          "redis-server",
          "--daemonize",
          "yes",
          "--bind",
          "127.0.0.1",
          "-::1",
          "--port",
          "6379",
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          "/var/lib/redis",
          "--logfile",
          "/var/log/redis/ci.log");
    }
    waitUntil("Redis answers PING on 127.0.0.1:6379", LocalServices::redisUp);
  }

  public static boolean redisUp() {
    return output("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping").contains("PONG");
  }

  /** How many connections are subscribed to {@code channel} right now. */
  public static int redisSubscribers(String channel) {
    String[] lines =
        output("redis-cli", "-h", "127.0.0.1", "-p", "6379", "pubsub", "numsub", channel)
            .trim()
            .split("\n", -1);
    return Integer.parseInt(lines[lines.length - 1].trim());
  }

  public static void redisPublish(String channel, String message) {
    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "publish", channel, message);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + UP_WITHIN_MS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + UP_WITHIN_MS + " ms: " + what);
      }
      sleep(100);
    }
  }

  private static String postgresVersion() {
    try (var versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions
          .map(path -> path.getFileName().toString())
          .sorted()
          .findFirst()
          .orElseThrow(() -> new AssertionError("no PostgreSQL cluster under /etc/postgresql"));
    } catch (IOException e) {
      throw new AssertionError("cannot read /etc/postgresql: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a command; a failure is not fatal, because callers check the server's state afterwards.
   */
  private static void run(String... command) {
    output(command);
  }

  private static String output(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
