package io.luthien.recorder;

import static io.luthien.recorder.Waiting.awaitOn;

import io.luthien.shared.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Redis SUBSCRIBE on the activity channel, as the debug API's SSE feed does it. */
final class RedisSubscriber implements AutoCloseable {

  static final String URL = "redis://127.0.0.1:6379";

  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final Context context;
  private final Redis client;

  private RedisSubscriber(Vertx vertx) {
    context = vertx.getOrCreateContext();
    client = Redis.createClient(vertx, URL);
  }

  static RedisSubscriber subscribe(Vertx vertx) {
    RedisSubscriber subscriber = new RedisSubscriber(vertx);
    awaitOn(
        subscriber.context,
        () ->
            subscriber
                .client
                .connect()
                .compose(
                    connection -> {
                      connection.handler(subscriber::onMessage);
                      return connection.send(
                          Request.cmd(Command.SUBSCRIBE).arg(Addresses.ACTIVITY_REDIS_CHANNEL));
                    }));
    return subscriber;
  }

  /** The next message published on the channel, or {@code null} after {@code millis}. */
  JsonObject next(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    awaitOn(context, client::close);
  }

  private void onMessage(Response message) {
    if (message.size() == 3 && "message".equals(message.get(0).toString())) {
      received.add(new JsonObject(message.get(2).toString()));
    }
  }
}
