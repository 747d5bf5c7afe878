package io.luthien.gateway;

import java.util.function.Supplier;

/**
 * Polls for what arrives on another thread (spans, metric points, bus messages), every 20 ms for up
 * to 5 s.
 */
final class Eventually {

  private static final long TIMEOUT_MILLIS = 5_000;
  private static final long POLL_MILLIS = 20;

  private Eventually() {}

  /** The first non-null value {@code probe} gives. */
  static <T> T found(String what, Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      T found = probe.get();
      if (found != null) {
        return found;
      }
      pause();
    }
    throw new AssertionError("not found within " + TIMEOUT_MILLIS + " ms: " + what);
  }

  /**
   * The value of {@code probe} once it stopped changing for a few polls, e.g. the spans of a
   * finished call.
   */
  static <T> T settled(String what, Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    T last = probe.get();
    int unchanged = 0;
    while (System.currentTimeMillis() < deadline) {
      pause();
      T now = probe.get();
      unchanged = now.equals(last) ? unchanged + 1 : 0;
      last = now;
      if (unchanged == 5) {
        return now;
      }
    }
    throw new AssertionError(
        "still changing after " + TIMEOUT_MILLIS + " ms: " + what + ", last " + last);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
