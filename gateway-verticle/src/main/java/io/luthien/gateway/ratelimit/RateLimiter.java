package io.luthien.gateway.ratelimit;

import io.vertx.core.Future;

/**
 * A token bucket per key: {@code burst} requests at once, refilled at {@code rpm} a minute. Keys
 * are SHA-256 hashes of client credentials, never the credentials.
 */
public interface RateLimiter {

  /** Takes one request from {@code key}'s bucket, or says how long until it could. */
  Future<RateDecision> acquire(String key);

  /** Releases what the limiter holds (a Redis connection). */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
