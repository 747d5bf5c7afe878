package io.luthien.gateway.ratelimit;

/**
 * The limiter's answer to one request: whether it may go on, and what the client is told in the
 * {@code X-RateLimit-*} headers: the bucket's size, the requests left in it now, the seconds until
 * it is full again, and (when refused) the seconds until one request is allowed.
 */
public record RateDecision(
    boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  /** What a limiter that cannot decide answers (Redis unreachable): let the request through. */
  static final RateDecision UNDECIDED = new RateDecision(true, -1, -1, 0, 0);

  boolean decided() {
    return limit >= 0;
  }

  static long seconds(long nanosOrMillis, long unitsPerSecond) {
    return (nanosOrMillis + unitsPerSecond - 1) / unitsPerSecond;
  }
}
