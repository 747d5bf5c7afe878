package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity feed over Redis: {@code PUBLISH} on {@link Addresses#ACTIVITY_REDIS_CHANNEL}. The
 * client's pool reconnects by itself once Redis is back. While Redis is down, one publish at a time
 * probes it; events that arrive meanwhile wait behind the probe (a bounded number, the rest fail at
 * once), so an outage neither piles up commands nor opens a connection per event, and the events of
 * the moment Redis returns are not lost.
 *
 * <p>Not thread-safe: used from the recorder verticle's event loop.
 */
final class RedisActivityPublisher implements ActivityPublisher {

  private static final Logger log = LoggerFactory.getLogger(RedisActivityPublisher.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_WAITING_COMMANDS = 4_096;
  private static final int MAX_BEHIND_PROBE = 1_000;

  private final Redis redis;
  private final String description;
  private boolean down;
  private Future<Void> probe;
  private int behindProbe;

  private RedisActivityPublisher(Redis redis, String description) {
    this.redis = redis;
    this.description = description;
  }

  /** A publisher over an existing client that starts as if its first connection had failed. */
  static RedisActivityPublisher startingDown(Redis redis, String description) {
    RedisActivityPublisher publisher = new RedisActivityPublisher(redis, description);
    publisher.down = true;
    return publisher;
  }

  /**
   * Opens the first connection now, so that the first event does not pay for it. Redis being down
   * at start does not stop the recorder: activity is lost (and counted) until Redis answers.
   */
  static Future<ActivityPublisher> connect(Vertx vertx, String url) {
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(url)
            .setMaxWaitingHandlers(MAX_WAITING_COMMANDS)
            .setTracingPolicy(TracingPolicy.IGNORE);
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    RedisActivityPublisher publisher =
        new RedisActivityPublisher(Redis.createClient(vertx, options), withoutPassword(url));
    return publisher
        .redis
        .connect()
        .compose(connection -> connection.close())
        .map(
            opened -> {
              log.info(
                  "activity feed publishes to Redis {} channel {}",
                  publisher.description,
                  Addresses.ACTIVITY_REDIS_CHANNEL);
              return (ActivityPublisher) publisher;
            })
        .recover(
            failure -> {
              publisher.down = true;
              log.warn(
                  "Redis {} is not reachable at start ({}); activity events are lost until it is",
                  publisher.description,
                  LossLog.describe(failure));
              return Future.succeededFuture(publisher);
            });
  }

  @Override
  public Future<Void> publish(JsonObject event) {
    if (down && probe != null) {
      if (behindProbe >= MAX_BEHIND_PROBE) {
        return Future.failedFuture("Redis " + description + " is down");
      }
      behindProbe++;
      Context caller = Vertx.currentContext();
      return probe.transform(
          probed -> {
            behindProbe--;
            return probed.succeeded()
                ? on(caller, () -> publish(event))
                : Future.failedFuture(probed.cause());
          });
    }
    Future<Void> sent =
        redis
            .send(
                Request.cmd(Command.PUBLISH)
                    .arg(Addresses.ACTIVITY_REDIS_CHANNEL)
                    .arg(event.encode()))
            .mapEmpty();
    if (down) {
      probe = sent;
    }
    // Registered after the probe is set: a write on a closed channel fails at once, and the handler
    // must not
    // run before it, or it would leave a failed probe that every later event waits behind for ever.
    sent.onComplete(
        published -> {
          if (probe == sent) {
            probe = null;
          }
          if (published.succeeded() && down) {
            down = false;
            log.info("Redis {} answers again; activity events are published", description);
          } else if (published.failed()) {
            down = true;
          }
        });
    return sent;
  }

  /**
   * Runs {@code publish} back on the caller's context: the probe completes on its own, whose
   * OpenTelemetry context (the probing event's call) is not this event's.
   */
  private static Future<Void> on(Context caller, Supplier<Future<Void>> publish) {
    if (caller == null || caller == Vertx.currentContext()) {
      return publish.get();
    }
    Promise<Void> published = Promise.promise();
    caller.runOnContext(v -> publish.get().onComplete(published));
    return published.future();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private static String withoutPassword(String url) {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }
}
