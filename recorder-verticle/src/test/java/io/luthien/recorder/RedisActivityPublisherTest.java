package io.luthien.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The probe logic of the Redis feed, against a scripted client: the exact order of completions
 * matters.
 */
class RedisActivityPublisherTest {

  private static final JsonObject EVENT =
      new JsonObject().put("call_id", "c").put("event_type", "request.received");

  @Test
  @DisplayName(
      "a publish that fails at once while Redis is down does not leave a stale probe behind")
  void immediateFailureWhileDown() {
    ScriptedRedis redis = new ScriptedRedis();
    RedisActivityPublisher publisher = RedisActivityPublisher.startingDown(redis, "scripted");

    redis.next(() -> Future.failedFuture("closed channel"));
    assertThat(publisher.publish(EVENT).failed()).isTrue();

    redis.next(() -> Future.succeededFuture());
    assertThat(publisher.publish(EVENT).succeeded()).as("the next publish reaches Redis").isTrue();
    assertThat(redis.sent).isEqualTo(2);
  }

  @Test
  @DisplayName("while a probe is out, later events wait for it and are sent once it succeeds")
  void eventsWaitBehindProbe() {
    ScriptedRedis redis = new ScriptedRedis();
    RedisActivityPublisher publisher = RedisActivityPublisher.startingDown(redis, "scripted");
    Promise<Response> probe = Promise.promise();
    redis.next(probe::future);
    redis.next(() -> Future.succeededFuture());
    redis.next(() -> Future.succeededFuture());

    Future<Void> first = publisher.publish(EVENT);
    Future<Void> second = publisher.publish(EVENT);
    Future<Void> third = publisher.publish(EVENT);
    assertThat(redis.sent).as("only the probe is sent while Redis may be down").isEqualTo(1);

    probe.complete(null);
    assertThat(List.of(first, second, third)).allMatch(Future::succeeded);
    assertThat(redis.sent).isEqualTo(3);
  }

  @Test
  @DisplayName("a failed probe fails the events behind it, and the next event probes again")
  void failedProbe() {
    ScriptedRedis redis = new ScriptedRedis();
    RedisActivityPublisher publisher = RedisActivityPublisher.startingDown(redis, "scripted");
    Promise<Response> probe = Promise.promise();
    redis.next(probe::future);

    Future<Void> first = publisher.publish(EVENT);
    Future<Void> behind = publisher.publish(EVENT);
    probe.fail("connection refused");
    assertThat(first.failed()).isTrue();
    assertThat(behind.failed()).isTrue();
    assertThat(redis.sent).isEqualTo(1);

    redis.next(() -> Future.succeededFuture());
    assertThat(publisher.publish(EVENT).succeeded()).isTrue();
    assertThat(redis.sent).isEqualTo(2);
  }

  /**
   * Answers each {@code send} with the next scripted outcome; nothing else is used by the
   * publisher.
   */
  private static final class ScriptedRedis implements Redis {
    private final Deque<Supplier<Future<Response>>> outcomes = new ArrayDeque<>();
    int sent;

    void next(Supplier<Future<Response>> outcome) {
      outcomes.add(outcome);
    }

    @Override
    public Future<Response> send(Request command) {
      sent++;
      Supplier<Future<Response>> outcome = outcomes.poll();
      return outcome == null ? Future.failedFuture("no scripted outcome") : outcome.get();
    }

    @Override
    public Future<RedisConnection> connect() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
      throw new UnsupportedOperationException();
    }
  }
}
