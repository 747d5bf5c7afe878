package io.luthien.debug;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis subscription to {@link Addresses#ACTIVITY_REDIS_CHANNEL} per debug node, whatever the
 * number of browsers. When Redis goes away the subscription is re-established with back-off, so the
 * feed comes back by itself; browsers stay connected to this node meanwhile and simply see no
 * events.
 */
final class RedisActivitySource implements ActivitySource {

  private static final Logger log = LoggerFactory.getLogger(RedisActivitySource.class);
  private static final long MIN_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final ActivityHub hub;
  private final Redis redis;
  private final String url;
  private RedisConnection connection;
  private long retryMillis = MIN_RETRY_MS;
  private boolean stopped;
  private boolean everConnected;

  RedisActivitySource(Vertx vertx, ActivityHub hub, String url) {
    this.vertx = vertx;
    this.hub = hub;
    this.url = url;
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
  }

  @Override
  public Future<Void> start() {
    subscribe();
    return Future.succeededFuture();
  }

  @Override
  public boolean connected() {
    return connection != null;
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    RedisConnection open = connection;
    connection = null;
    Future<Void> closed = open == null ? Future.succeededFuture() : open.close();
    return closed.eventually(redis::close);
  }

  private void subscribe() {
    redis
        .connect()
        .compose(
            conn -> {
              conn.handler(this::onPush);
              conn.exceptionHandler(failure -> lost(conn, failure.getMessage()));
              conn.endHandler(end -> lost(conn, "connection closed"));
              return conn.send(Request.cmd(Command.SUBSCRIBE).arg(Addresses.ACTIVITY_REDIS_CHANNEL))
                  .map(conn);
            })
        .onSuccess(
            conn -> {
              connection = conn;
              retryMillis = MIN_RETRY_MS;
              log.info(
                  "{} to Redis channel {} ({})",
                  everConnected ? "re-subscribed" : "subscribed",
                  Addresses.ACTIVITY_REDIS_CHANNEL,
                  redactedUrl());
              everConnected = true;
            })
        .onFailure(failure -> retryLater(failure.getMessage()));
  }

  private void onPush(Response push) {
    if (push.size() == 3 && "message".equals(push.get(0).toString())) {
      try {
        hub.publish(new JsonObject(push.get(2).toString()));
      } catch (DecodeException notJson) {
        log.warn("ignored an activity message that is not JSON: {}", notJson.getMessage());
      }
    }
  }

  private void lost(RedisConnection conn, String reason) {
    if (connection != conn || stopped) {
      return;
    }
    connection = null;
    log.warn("lost the Redis activity subscription ({}); retrying", reason);
    conn.close()
        .onFailure(
            failure ->
                log.debug("closing the lost Redis connection failed: {}", failure.getMessage()));
    retryLater(reason);
  }

  private void retryLater(String reason) {
    if (stopped) {
      return;
    }
    long delay = retryMillis;
    retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MS);
    if (delay == MAX_RETRY_MS || (!everConnected && delay == MIN_RETRY_MS)) {
      log.warn(
          "cannot subscribe to Redis ({}): {}; next try in {} ms", redactedUrl(), reason, delay);
    }
    vertx.setTimer(delay, id -> subscribe());
  }

  private String redactedUrl() {
    return url.replaceAll("//[^@/]*@", "//***@");
  }
}
