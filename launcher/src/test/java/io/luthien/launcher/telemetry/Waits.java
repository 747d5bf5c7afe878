package io.luthien.launcher.telemetry;

import io.luthien.shared.LocalServices;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Blocking waits for tests that drive other processes: exports and scrapes arrive when they arrive.
 */
public final class Waits {

  private static final int MAX_STATE_CHARS = 4000;

  private Waits() {}

  public static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }

  /**
   * Polls {@code condition} every 100 ms until it holds; past {@code timeout}, fails naming {@code
   * what} and the {@code state} seen last, so a failure shows what did arrive.
   */
  public static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<?> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String seen = String.valueOf(state.get());
        if (seen.length() > MAX_STATE_CHARS) {
          seen = seen.substring(0, MAX_STATE_CHARS) + " ... (" + seen.length() + " chars)";
        }
        throw new AssertionError(
            "not within " + timeout.toMillis() + " ms: " + what + "; last seen: " + seen);
      }
      LocalServices.sleep(100);
    }
  }
}
