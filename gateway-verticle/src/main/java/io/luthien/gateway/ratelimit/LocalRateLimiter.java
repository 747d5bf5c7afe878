package io.luthien.gateway.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's own buckets (Bucket4j), shared by every gateway verticle instance of the node, so a
 * client's budget does not multiply with the event loops. The most recently used {@link #MAX_KEYS}
 * keys are kept; a key evicted past that starts again with a full bucket.
 */
public final class LocalRateLimiter implements RateLimiter, Shareable {

  static final int MAX_KEYS = 100_000;
  private static final String SHARED = "luthien.gateway.rate_limits";

  private final long rpm;
  private final long burst;
  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_KEYS;
        }
      };

  LocalRateLimiter(long rpm, long burst) {
    this.rpm = rpm;
    this.burst = burst;
  }

  /** The node's limiter for these figures, made by the first verticle instance that asks. */
  public static LocalRateLimiter shared(Vertx vertx, long rpm, long burst) {
    LocalMap<String, LocalRateLimiter> limiters = vertx.sharedData().getLocalMap(SHARED);
    String key = rpm + "/" + burst;
    LocalRateLimiter made = new LocalRateLimiter(rpm, burst);
    LocalRateLimiter existing = limiters.putIfAbsent(key, made);
    return existing != null ? existing : made;
  }

  @Override
  public Future<RateDecision> acquire(String key) {
    ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
    long nanosPerSecond = TimeUnit.SECONDS.toNanos(1);
    return Future.succeededFuture(
        new RateDecision(
            probe.isConsumed(),
            burst,
            probe.getRemainingTokens(),
            RateDecision.seconds(probe.getNanosToWaitForReset(), nanosPerSecond),
            probe.isConsumed()
                ? 0
                : Math.max(
                    1, RateDecision.seconds(probe.getNanosToWaitForRefill(), nanosPerSecond))));
  }

  private Bucket bucket(String key) {
    synchronized (buckets) {
      return buckets.computeIfAbsent(
          key,
          k ->
              Bucket.builder()
                  .addLimit(limit -> limit.capacity(burst).refillGreedy(rpm, Duration.ofMinutes(1)))
                  .build());
    }
  }
}
