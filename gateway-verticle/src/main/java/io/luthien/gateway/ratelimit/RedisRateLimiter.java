package io.luthien.gateway.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One token bucket per key in Redis, shared by every gateway node that uses the same Redis: the
 * same bucket as {@link LocalRateLimiter}'s (capacity {@code burst}, refilled greedily at {@code
 * rpm} a minute), taken from by one Lua script, atomic on the Redis server and timed by the
 * server's clock, so nodes whose clocks differ agree. A bucket is a hash {@code
 * luthien:ratelimit:<key>} that expires once it would be full again. When Redis cannot answer,
 * requests are let through (the gateway stays up without its limiter); the outage is logged once,
 * and its end.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
  static final String KEY_PREFIX = "luthien:ratelimit:";

  /**
   * ARGV: capacity, tokens per millisecond. Returns {allowed, remaining, ms until one token, ms
   * until full}.
   */
  static final String SCRIPT =
      """
      local capacity = tonumber(ARGV[1])
      local rate = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
      local tokens = tonumber(state[1])
      local ts = tonumber(state[2])
      if tokens == nil or ts == nil then
        tokens = capacity
        ts = now
      end
      tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
      local allowed = 0
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      else
        wait = math.ceil((1 - tokens) / rate)
      end
      local full = math.ceil((capacity - tokens) / rate)
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
      redis.call('PEXPIRE', KEYS[1], full + 1000)
      return {allowed, math.floor(tokens), wait, full}
      """;

  private final Redis redis;
  private final RedisAPI api;
  private final long burst;
  private final String capacity;
  private final String tokensPerMilli;
  private final AtomicBoolean failing = new AtomicBoolean();

  public RedisRateLimiter(Vertx vertx, String redisUrl, long rpm, long burst) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    this.api = RedisAPI.api(redis);
    this.burst = burst;
    this.capacity = Long.toString(burst);
    this.tokensPerMilli = Double.toString(rpm / 60_000.0);
  }

  @Override
  public Future<RateDecision> acquire(String key) {
    return api.eval(List.of(SCRIPT, "1", KEY_PREFIX + key, capacity, tokensPerMilli))
        .map(this::decision)
        .onSuccess(
            decided -> {
              if (failing.compareAndSet(true, false)) {
                log.info("rate limiter: Redis answers again; limits are enforced");
              }
            })
        .recover(
            failure -> {
              if (failing.compareAndSet(false, true)) {
                log.warn(
                    "rate limiter: Redis did not answer ({}); requests go through unlimited until"
                        + " it does",
                    failure.toString());
              }
              return Future.succeededFuture(RateDecision.UNDECIDED);
            });
  }

  private RateDecision decision(Response answer) {
    boolean allowed = answer.get(0).toLong() == 1;
    return new RateDecision(
        allowed,
        burst,
        answer.get(1).toLong(),
        RateDecision.seconds(answer.get(3).toLong(), 1000),
        allowed ? 0 : Math.max(1, RateDecision.seconds(answer.get(2).toLong(), 1000)));
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}
