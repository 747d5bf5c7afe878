package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.RecorderPressure;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the gateways to hold new calls while this recorder falls behind, so that a load PostgreSQL
 * cannot keep up with slows down instead of losing events ({@link Addresses#RECORDER_PRESSURE}).
 * Behind: its buffer is at least {@link #BEHIND_PERCENT} full while PostgreSQL takes writes; caught
 * up again at {@link #CAUGHT_UP_PERCENT} or below. While PostgreSQL fails, the recorder is never
 * behind: holding calls would not bring the database back, and the buffer is there for an outage. A
 * gateway forgets a recorder that has not repeated {@code behind} for a few seconds, so one that
 * stops or dies cannot hold calls.
 */
final class FlowControl {

  private static final Logger log = LoggerFactory.getLogger(FlowControl.class);

  static final int BEHIND_PERCENT = 50;
  static final int CAUGHT_UP_PERCENT = 40;
  static final long CHECK_MILLIS = 50;

  /** While behind, said again this often: a gateway that joined meanwhile learns it too. */
  static final long REPEAT_MILLIS = 1_000;

  /**
   * Under a load PostgreSQL cannot take, the recorder falls behind every few seconds: INFO says so
   * once a minute at most, with how often since; DEBUG tells every time.
   */
  static final long LOG_EVERY_MILLIS = 60_000;

  private final Vertx vertx;
  private final RecorderStats stats;
  private final String id = UUID.randomUUID().toString();
  private boolean behind;
  private long behindSinceNanos;
  private long lastSaidNanos;
  private long timer = -1;
  private boolean loggedOnce;
  private long lastLoggedNanos;
  private int unloggedEpisodes;

  FlowControl(Vertx vertx, RecorderStats stats) {
    this.vertx = vertx;
    this.stats = stats;
  }

  void start() {
    timer = vertx.setPeriodic(CHECK_MILLIS, tick -> check());
  }

  /** A recorder that stops is not behind any more. */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (behind) {
      behind = false;
      say(stats.health().bufferPercent());
    }
  }

  /** The next state, from the current one, how full the buffer is and whether writes fail. */
  static boolean behind(boolean behindNow, int bufferPercent, boolean writesFail) {
    if (writesFail) {
      return false;
    }
    return behindNow ? bufferPercent > CAUGHT_UP_PERCENT : bufferPercent >= BEHIND_PERCENT;
  }

  private void check() {
    RecorderHealth health = stats.health();
    boolean next = behind(behind, health.bufferPercent(), health.consecutiveFailedWrites() > 0);
    long now = System.nanoTime();
    if (next != behind) {
      behind = next;
      if (behind) {
        behindSinceNanos = now;
        fellBehind(health, now);
      } else {
        log.debug(
            "recorder caught up after {} ms ({} % of its buffer)",
            TimeUnit.NANOSECONDS.toMillis(now - behindSinceNanos), health.bufferPercent());
      }
      say(health.bufferPercent());
    } else if (behind && now - lastSaidNanos >= TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS)) {
      say(health.bufferPercent());
    }
  }

  private void fellBehind(RecorderHealth health, long now) {
    boolean first = !loggedOnce;
    if (!first && now - lastLoggedNanos < TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MILLIS)) {
      unloggedEpisodes++;
      log.debug("recorder falls behind PostgreSQL ({} % of its buffer)", health.bufferPercent());
      return;
    }
    log.info(
        "recorder falls behind PostgreSQL ({} % of its buffer, {} events){}: gateways hold new calls until it is down to {} %",
        health.bufferPercent(),
        health.queuedEvents(),
        first ? "" : ", " + (unloggedEpisodes + 1) + " times in the last minute or so",
        CAUGHT_UP_PERCENT);
    loggedOnce = true;
    lastLoggedNanos = now;
    unloggedEpisodes = 0;
  }

  private void say(int bufferPercent) {
    lastSaidNanos = System.nanoTime();
    vertx
        .eventBus()
        .publish(
            Addresses.RECORDER_PRESSURE,
            new RecorderPressure(id, behind, bufferPercent).toJson(),
            new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE));
  }
}
