package io.luthien.debug;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stops and starts the machine's real Redis (the commands the CI environment uses), for outage tests. */
public final class LocalRedis {

  public static final String URL = "redis://127.0.0.1:6379";

  private LocalRedis() {
  }

  public static void stop() {
    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave");
  }

  /** Starts Redis if it is not answering, and waits until it does. */
  public static void ensureRunning() {
    if (!answers()) {
      run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
          "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log");
    }
    for (int i = 0; i < 100 && !answers(); i++) {
      SseListener.sleep(100);
    }
    if (!answers()) {
      throw new AssertionError("Redis did not come back on 127.0.0.1:6379");
    }
  }

  public static boolean answers() {
    return run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping").contains("PONG");
  }

  public static int subscribers(String channel) {
    String out = run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "pubsub", "numsub", channel);
    String[] lines = out.trim().split("\n");
    return Integer.parseInt(lines[lines.length - 1].trim());
  }

  public static void publish(String channel, String message) {
    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "publish", channel, message);
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      process.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
