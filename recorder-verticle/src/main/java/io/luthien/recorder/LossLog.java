package io.luthien.recorder;

import org.slf4j.Logger;

/**
 * Rate-limited WARN for losses that can come by the thousand per second: the first loss is logged
 * at once, then at most one line per interval, each with the running total; {@link #settled}
 * reports the losses the interval held back once things work again, so no loss goes unreported.
 */
final class LossLog {

  static final long INTERVAL_NANOS = 5_000_000_000L;

  private final Logger log;
  private final String what;
  private long lastLogged;
  private boolean logged;
  private long unreported;

  /** {@code what} completes "dropped ..." in the log line, e.g. "recorder events (buffer full)". */
  LossLog(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  void lost(long total, String callId, String reason) {
    long now = System.nanoTime();
    if (logged && now - lastLogged < INTERVAL_NANOS) {
      unreported++;
      return;
    }
    logged = true;
    lastLogged = now;
    unreported = 0;
    log.warn("dropped {}: {} in total so far (latest call_id {}: {})", what, total, callId, reason);
  }

  /**
   * A failure for a log line: its message, or its type when it has none (Netty's closed-channel
   * errors).
   */
  static String describe(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
  }

  /**
   * Called when a loss no longer happens: logs the running total if the last lines left losses out.
   */
  void settled(long total) {
    if (unreported > 0) {
      unreported = 0;
      log.warn("dropped {}: {} in total so far", what, total);
    }
  }
}
