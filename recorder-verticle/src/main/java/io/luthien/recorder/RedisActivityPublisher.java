package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity feed over Redis: {@code PUBLISH} on {@link Addresses#ACTIVITY_REDIS_CHANNEL}. The client's pool
 * reconnects by itself once Redis is back. While Redis is down, one publish at a time probes it and the others
 * fail at once, so an outage neither piles up commands nor opens a connection per event.
 *
 * <p>Not thread-safe: used from the recorder verticle's event loop.
 */
final class RedisActivityPublisher implements ActivityPublisher {

  private static final Logger log = LoggerFactory.getLogger(RedisActivityPublisher.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_WAITING_COMMANDS = 4_096;

  private final Redis redis;
  private final String description;
  private boolean down;
  private boolean probing;

  private RedisActivityPublisher(Redis redis, String description) {
    this.redis = redis;
    this.description = description;
  }

  /**
   * Opens the first connection now, so that the first event does not pay for it. Redis being down at start
   * does not stop the recorder: activity is lost (and counted) until Redis answers.
   */
  static Future<ActivityPublisher> connect(Vertx vertx, String url) {
    RedisOptions options = new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(MAX_WAITING_COMMANDS);
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    RedisActivityPublisher publisher =
        new RedisActivityPublisher(Redis.createClient(vertx, options), withoutPassword(url));
    return publisher.redis.connect()
        .compose(connection -> connection.close())
        .map(opened -> {
          log.info("activity feed publishes to Redis {} channel {}", publisher.description,
              Addresses.ACTIVITY_REDIS_CHANNEL);
          return (ActivityPublisher) publisher;
        })
        .recover(failure -> {
          publisher.down = true;
          log.warn("Redis {} is not reachable at start ({}); activity events are lost until it is",
              publisher.description, LossLog.describe(failure));
          return Future.succeededFuture(publisher);
        });
  }

  @Override
  public Future<Void> publish(JsonObject event) {
    if (down && probing) {
      return Future.failedFuture("Redis " + description + " is down");
    }
    probing = down;
    return redis.send(Request.cmd(Command.PUBLISH).arg(Addresses.ACTIVITY_REDIS_CHANNEL).arg(event.encode()))
        .onComplete(published -> {
          probing = false;
          if (published.succeeded() && down) {
            down = false;
            log.info("Redis {} answers again; activity events are published", description);
          } else if (published.failed()) {
            down = true;
          }
        })
        .mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private static String withoutPassword(String url) {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }
}
