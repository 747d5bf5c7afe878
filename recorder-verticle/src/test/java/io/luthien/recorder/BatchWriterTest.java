package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.assertOutageLoggedOnce;
import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.awaitOn;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.LogCapture;
import io.luthien.shared.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BatchWriterTest {

  private static final UUID CALL = UUID.randomUUID();

  /** A store that fails its first {@code failures} writes and remembers what it was given. */
  private static final class FlakyStore implements EventStore {
    final List<List<Integer>> attempts = new CopyOnWriteArrayList<>();
    final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft;

    FlakyStore(int failures) {
      failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Future<Void> write(List<RecordedEvent> batch) {
      attempts.add(batch.stream().map(RecordedEvent::sequence).toList());
      attemptNanos.add(System.nanoTime());
      return failuresLeft.getAndDecrement() > 0
          ? Future.failedFuture("connection refused")
          : Future.succeededFuture();
    }
  }

  /**
   * A store that holds every write until the test completes or fails it, and remembers what it was
   * given and what it stored, in order.
   */
  private static final class HeldStore implements EventStore {
    final List<List<Integer>> attempts = new CopyOnWriteArrayList<>();
    final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    final List<List<Integer>> stored = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> write(List<RecordedEvent> batch) {
      List<Integer> sequences = sequences(batch);
      Promise<Void> written = Promise.promise();
      attempts.add(sequences);
      held.add(written);
      return written.future().onSuccess(stored -> this.stored.add(sequences));
    }
  }

  /**
   * Two writers of batches of up to 5 events (retries after 20 to 100 ms) over a {@link HeldStore},
   * and the context the test adds events and settles writes on.
   */
  private static final class TwoWriters {
    final HeldStore store = new HeldStore();
    final RecorderStats stats = new RecorderStats();
    final BatchWriter writer;
    final Context context;

    TwoWriters(Vertx vertx, long flushMillis, Consumer<List<RecordedEvent>> onWritten) {
      writer =
          new BatchWriter(
              vertx,
              store,
              writers(2, 5, flushMillis, 20, 100),
              stats,
              RecorderTelemetry.NOOP,
              onWritten);
      context = vertx.getOrCreateContext();
    }

    TwoWriters(Vertx vertx, long flushMillis) {
      this(vertx, flushMillis, written -> {});
    }

    /** Adds the chunks {@code from} (inclusive) to {@code to} (exclusive). */
    void add(int from, int to) {
      on(context, () -> BatchWriterTest.add(writer, from, to));
    }

    /** Waits until the store has been given {@code count} batches to write, retries included. */
    void untilAttempts(int count, String what) {
      until(Duration.ofSeconds(5), what, () -> store.attempts.size() == count);
    }

    /** Waits until {@code events} events in all have been written. */
    void untilWritten(int events, String what) {
      until(Duration.ofSeconds(5), what, () -> stats.writtenEvents() == events);
    }

    void complete(int attempt) {
      on(context, () -> store.held.get(attempt).complete());
    }

    /** Fails the given attempts in this order, in one go. */
    void fail(int... attempts) {
      on(
          context,
          () -> {
            for (int attempt : attempts) {
              store.held.get(attempt).fail("connection refused");
            }
          });
    }
  }

  @Test
  @DisplayName(
      "with two writers, two batches are in flight at once and may commit out of order; the queue counts every event until it is written, onWritten gets the batches in order")
  void twoInFlight(Vertx vertx) {
    List<List<Integer>> announced = new CopyOnWriteArrayList<>();
    TwoWriters writers = new TwoWriters(vertx, 60_000, batch -> announced.add(sequences(batch)));

    writers.add(0, 13);
    writers.untilAttempts(2, "two batches in flight");
    assertThat(writers.store.attempts).containsExactly(range(0, 5), range(5, 10));
    assertQueued(writers.stats, 0, 13);

    writers.complete(1);
    writers.untilWritten(5, "the second batch written");
    assertThat(writers.stats.writtenBatches()).isEqualTo(1);
    assertQueued(writers.stats, 0, 5, 10, 13);
    assertThat(announced).as("held until the older batch is written").isEmpty();
    assertThat(writers.store.attempts).as("3 events wait, not a batch yet").hasSize(2);

    writers.add(13, 15);
    writers.untilAttempts(3, "a third batch in flight");
    assertThat(writers.store.attempts.get(2)).isEqualTo(range(10, 15));
    assertQueued(writers.stats, 0, 5, 10, 15);

    writers.complete(0);
    writers.untilWritten(10, "the first batch written");
    assertQueued(writers.stats, 10, 15);
    assertThat(announced).containsExactly(range(0, 5), range(5, 10));

    writers.complete(2);
    writers.untilWritten(15, "all written");
    assertThat(writers.stats.queueSize()).isZero();
    assertThat(writers.stats.health().queuedBytes()).isZero();
    assertThat(writers.stats.health().oldestWaitingMillis()).isZero();
    assertThat(announced).containsExactly(range(0, 5), range(5, 10), range(10, 15));
    assertThat(writers.store.stored).containsExactly(range(5, 10), range(0, 5), range(10, 15));
  }

  @Test
  @DisplayName(
      "with two writers, two batches in flight that both fail are retried after one back-off, in their order, and every event is written once")
  void twoFail(Vertx vertx) {
    TwoWriters writers = new TwoWriters(vertx, 60_000);

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      writers.add(0, 13);
      writers.untilAttempts(2, "two batches in flight");
      writers.fail(1, 0);
      assertQueued(writers.stats, 0, 13);
      writers.untilAttempts(4, "both retried");

      assertThat(writers.store.attempts.subList(2, 4)).containsExactly(range(0, 5), range(5, 10));
      assertThat(writers.stats.failedWrites()).isEqualTo(2);
      assertQueued(writers.stats, 0, 13);
      writers.complete(3);
      writers.complete(2);
      writers.add(13, 15);
      writers.untilAttempts(5, "the last batch");
      writers.complete(4);
      writers.untilWritten(15, "all written");

      assertThat(writers.store.stored.stream().flatMap(List::stream))
          .containsExactlyInAnyOrderElementsOf(range(0, 15));
      assertThat(writers.store.stored).containsExactly(range(5, 10), range(0, 5), range(10, 15));
      assertThat(writers.stats.queueSize()).isZero();
      assertThat(writers.stats.droppedEvents()).isZero();
      assertThat(logs.lines(Level.WARN))
          .singleElement()
          .asString()
          .contains("cannot write to PostgreSQL")
          .contains("13 events wait");
      assertThat(logs.lines(Level.INFO))
          .singleElement()
          .asString()
          .contains("again")
          .contains("13 events had waited");
    }
  }

  @Test
  @DisplayName(
      "a failed batch goes back to its place among the waiting events: after older failed ones, before younger ones and new events")
  void failedBatchesKeepTheirPlace(Vertx vertx) {
    TwoWriters writers = new TwoWriters(vertx, 50);

    writers.add(0, 2);
    writers.untilAttempts(1, "a first batch, on the timer");
    writers.add(2, 7);
    writers.untilAttempts(2, "a second, full batch");
    writers.add(7, 10);
    writers.fail(0);
    writers.untilAttempts(3, "the first batch retried");
    assertThat(writers.store.attempts)
        .as("the retry takes the failed events and the next waiting ones")
        .containsExactly(List.of(0, 1), range(2, 7), List.of(0, 1, 7, 8, 9));
    assertQueued(writers.stats, 0, 10);

    writers.fail(1, 2);
    writers.untilAttempts(5, "retried again");
    assertThat(writers.store.attempts.subList(3, 5)).containsExactly(range(0, 5), range(5, 10));
    writers.complete(4);
    writers.complete(3);
    writers.untilWritten(10, "all written");
    assertThat(writers.store.stored).containsExactly(range(5, 10), range(0, 5));
    assertThat(writers.stats.queueSize()).isZero();
  }

  @Test
  @DisplayName(
      "drain waits for every batch in flight and writes what waits behind them, whatever the order they commit in")
  void drainWaitsForEveryBatch(Vertx vertx) {
    TwoWriters writers = new TwoWriters(vertx, 60_000);
    writers.add(0, 13);
    writers.untilAttempts(2, "two batches in flight");

    AtomicReference<Future<Void>> drained = new AtomicReference<>();
    on(writers.context, () -> drained.set(writers.writer.drain(10_000)));
    assertThat(writers.store.attempts).as("no writer free").hasSize(2);
    writers.complete(1);
    writers.untilAttempts(3, "the rest, without waiting");
    assertThat(writers.store.attempts.get(2)).isEqualTo(range(10, 13));
    assertThat(drained.get().isComplete()).isFalse();
    writers.complete(2);
    writers.untilWritten(8, "the last written");
    assertThat(drained.get().isComplete()).as("the first batch is still in flight").isFalse();
    writers.complete(0);
    until(Duration.ofSeconds(5), "drained", () -> drained.get().isComplete());

    assertThat(drained.get().succeeded()).isTrue();
    assertThat(writers.stats.writtenEvents()).isEqualTo(13);
    assertThat(writers.stats.queueSize()).isZero();
  }

  @Test
  @DisplayName(
      "a failed batch stays at the head and is retried with doubling delays, in order, nothing dropped")
  void retriesWithBackoff(Vertx vertx) {
    FlakyStore store = new FlakyStore(3);
    RecorderStats stats = new RecorderStats();
    BatchWriter writer = new BatchWriter(vertx, store, settings(5, 10, 100, 40, 1_000), stats);
    Context context = vertx.getOrCreateContext();

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      on(context, () -> add(writer, 0, 7));
      until(Duration.ofSeconds(5), "the first batch written", () -> stats.writtenBatches() >= 1);
      on(context, () -> add(writer, 7, 9));
      until(Duration.ofSeconds(5), "9 events written", () -> stats.writtenEvents() == 9);

      assertThat(store.attempts.subList(0, 4))
          .allSatisfy(batch -> assertThat(batch).containsExactly(0, 1, 2, 3, 4));
      assertThat(store.attempts.subList(4, store.attempts.size()).stream().flatMap(List::stream))
          .containsExactly(5, 6, 7, 8);
      assertThat(gapMillis(store, 1)).isGreaterThanOrEqualTo(40);
      assertThat(gapMillis(store, 2)).isGreaterThanOrEqualTo(80);
      assertThat(gapMillis(store, 3)).isGreaterThanOrEqualTo(160);
      assertThat(stats.failedWrites()).isEqualTo(3);
      assertThat(stats.droppedEvents()).isZero();
      assertOutageLoggedOnce(logs, 7);
      assertThat(logs.lines(Level.INFO)).singleElement().asString().contains("again");
    }
  }

  @Test
  @DisplayName(
      "a batch leaves as soon as batchSize events wait, and a lone event leaves after flushMillis")
  void flushTriggers(Vertx vertx) {
    FlakyStore store = new FlakyStore(0);
    RecorderStats stats = new RecorderStats();
    Context context = vertx.getOrCreateContext();
    BatchWriter full = new BatchWriter(vertx, store, settings(10, 60_000, 100, 100, 100), stats);

    on(context, () -> add(full, 0, 25));
    until(Duration.ofSeconds(5), "two full batches", () -> store.attempts.size() == 2);
    assertThat(store.attempts).extracting(List::size).containsExactly(10, 10);
    assertThat(stats.queueSize()).isEqualTo(5);

    BatchWriter lone = new BatchWriter(vertx, store, settings(10, 30, 100, 100, 100), stats);
    on(context, () -> add(lone, 100, 101));
    until(Duration.ofSeconds(5), "the lone event", () -> store.attempts.size() == 3);
    assertThat(store.attempts.get(2)).containsExactly(100);
  }

  @Test
  @DisplayName(
      "with PostgreSQL unreachable, a full buffer drops new events, counts and logs every drop, and keeps going")
  void overflow(Vertx vertx) throws Exception {
    Pool unreachable =
        PgBuilder.pool()
            .connectingTo(
                DatabaseSettings.from(
                        new Settings(
                            new JsonObject()
                                .put(
                                    "DATABASE_URL",
                                    "postgresql://postgres@127.0.0.1:" + closedPort() + "/test")))
                    .connectOptions())
            .using(vertx)
            .build();
    RecorderStats stats = new RecorderStats();
    BatchWriter writer =
        new BatchWriter(
            vertx,
            new IsolatingStore(new PgEventStore(unreachable), stats),
            settings(5, 10, 20, 20, 100),
            stats);
    Context context = vertx.getOrCreateContext();

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      on(context, () -> add(writer, 0, 100));
      until(Duration.ofSeconds(5), "a few retries", () -> stats.failedWrites() >= 3);
      on(context, () -> add(writer, 100, 110));

      assertThat(stats.queueSize()).isEqualTo(20);
      assertThat(stats.droppedEvents()).isEqualTo(90);
      assertThat(stats.writtenEvents()).isZero();
      assertThat(logs.lines(Level.WARN))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("dropped recorder events because the buffer is full: 1 in total")
                      .contains(CALL.toString()));
      assertThat(logs.lines(Level.WARN))
          .filteredOn(line -> line.contains("cannot write"))
          .hasSize(1);

      awaitOn(context, () -> writer.drain(200));
      assertThat(logs.lines(Level.WARN))
          .anySatisfy(line -> assertThat(line).contains("stopping with 20 events not written"));
      assertThat(logs.lines(Level.WARN))
          .as("the total the rate limit held back")
          .anySatisfy(
              line ->
                  assertThat(line)
                      .isEqualTo(
                          "dropped recorder events because the buffer is full: 90 in total so far"));
    }
  }

  @Test
  @DisplayName(
      "with PostgreSQL down, the buffer holds at most bufferMaxBytes of payload: the rest is dropped, counted and logged with its call id")
  void byteBound(Vertx vertx) {
    FlakyStore store = new FlakyStore(Integer.MAX_VALUE);
    RecorderStats stats = new RecorderStats();
    BatchWriter writer = new BatchWriter(vertx, store, bytes(100, 10, 100, 5_000, 1 << 20), stats);
    Context context = vertx.getOrCreateContext();

    try (LogCapture logs = new LogCapture(BatchWriter.class)) {
      on(context, () -> addLarge(writer, 0, 10, 1_000));
      until(Duration.ofSeconds(5), "a failed write", () -> stats.failedWrites() >= 1);

      assertThat(stats.queueSize()).isEqualTo(4);
      assertThat(stats.droppedEvents()).isEqualTo(6);
      assertThat(logs.lines(Level.WARN))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("dropped recorder events because the buffer is full: 1 in total")
                      .contains(CALL.toString())
                      .contains("policy.chunk #4")
                      .contains("bytes"));
      awaitOn(context, () -> writer.drain(50));
    }
  }

  @Test
  @DisplayName(
      "a batch holds at most batchMaxBytes of payload, and an event bigger than that goes alone")
  void batchBytes(Vertx vertx) {
    FlakyStore store = new FlakyStore(0);
    RecorderStats stats = new RecorderStats();
    BatchWriter writer =
        new BatchWriter(vertx, store, bytes(100, 10, 1_000, 1 << 20, 2_500), stats);
    Context context = vertx.getOrCreateContext();

    on(context, () -> addLarge(writer, 0, 6, 1_000));
    on(context, () -> addLarge(writer, 6, 7, 10_000));
    on(context, () -> addLarge(writer, 7, 9, 1_000));
    until(Duration.ofSeconds(5), "9 events written", () -> stats.writtenEvents() == 9);

    assertThat(store.attempts)
        .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6), List.of(7, 8));
  }

  @Test
  @DisplayName(
      "an event the store fails on (not the database being down) is dropped alone, counted and logged, the rest of its batch is written and the writer goes on")
  void poisonedEvent(Vertx vertx) {
    List<List<Integer>> stored = new CopyOnWriteArrayList<>();
    EventStore poisoned =
        batch -> {
          List<Integer> sequences = batch.stream().map(RecordedEvent::sequence).toList();
          if (sequences.contains(3)) {
            // what vertx-pg-client throws when the estimate of a bind message overflows an int
            throw new IllegalArgumentException("initialCapacity: -1879048192 (expected: 0+)");
          }
          stored.add(sequences);
          return Future.succeededFuture();
        };
    RecorderStats stats = new RecorderStats();
    BatchWriter writer =
        new BatchWriter(
            vertx, new IsolatingStore(poisoned, stats), settings(10, 10, 100, 10, 100), stats);
    Context context = vertx.getOrCreateContext();

    try (LogCapture logs = new LogCapture(IsolatingStore.class)) {
      on(context, () -> add(writer, 0, 10));
      until(Duration.ofSeconds(5), "the first batch settled", () -> stats.writtenEvents() == 10);
      on(context, () -> add(writer, 10, 15));
      until(Duration.ofSeconds(5), "the next events written", () -> stats.writtenEvents() == 15);

      assertThat(stored.stream().flatMap(List::stream))
          .containsExactlyInAnyOrder(0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
      assertThat(stats.unstorableEvents()).isEqualTo(1);
      assertThat(stats.failedWrites()).isZero();
      assertThat(stats.queueSize()).isZero();
      assertThat(logs.lines(Level.WARN))
          .singleElement()
          .asString()
          .contains("cannot store event policy.chunk #3")
          .contains(CALL.toString())
          .contains("initialCapacity");
    }
  }

  @Test
  @DisplayName(
      "while the database is unreachable a batch is retried whole, never split and dropped")
  void unreachableIsNotPoison(Vertx vertx) {
    AtomicInteger failuresLeft = new AtomicInteger(3);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    EventStore down =
        batch -> {
          attempts.add(batch.size());
          return failuresLeft.getAndDecrement() > 0
              ? Future.failedFuture(new java.net.ConnectException("Connection refused"))
              : Future.succeededFuture();
        };
    RecorderStats stats = new RecorderStats();
    BatchWriter writer =
        new BatchWriter(
            vertx, new IsolatingStore(down, stats), settings(10, 10, 100, 10, 100), stats);

    on(vertx.getOrCreateContext(), () -> add(writer, 0, 8));
    until(Duration.ofSeconds(5), "8 written", () -> stats.writtenEvents() == 8);

    assertThat(attempts).containsExactly(8, 8, 8, 8);
    assertThat(stats.unstorableEvents()).isZero();
    assertThat(stats.failedWrites()).isEqualTo(3);
  }

  private static RecorderSettings bytes(
      int batchSize, long flushMillis, int bufferMax, long bufferMaxBytes, long batchMaxBytes) {
    return new RecorderSettings(
        null,
        null,
        batchSize,
        flushMillis,
        bufferMax,
        20,
        100,
        1_000,
        bufferMaxBytes,
        batchMaxBytes,
        RecorderSettings.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** Events whose payload is about {@code chars} bytes. */
  private static void addLarge(BatchWriter writer, int from, int to, int chars) {
    for (int sequence = from; sequence < to; sequence++) {
      writer.add(
          RecordedEvent.fromJson(
              event(CALL, "policy.chunk", sequence)
                  .put("payload", new JsonObject().put("text", "x".repeat(chars - 11)))));
    }
  }

  private static RecorderSettings writers(
      int writers, int batchSize, long flushMillis, long retryMin, long retryMax) {
    return new RecorderSettings(
        null,
        null,
        batchSize,
        writers,
        flushMillis,
        100,
        retryMin,
        retryMax,
        1_000,
        RecorderSettings.DEFAULT_BUFFER_MAX_BYTES,
        RecorderSettings.DEFAULT_BATCH_MAX_BYTES,
        RecorderSettings.DEFAULT_MAX_PAYLOAD_BYTES,
        RecorderSettings.Retention.FOREVER,
        RecorderSettings.Webhook.OFF);
  }

  private static List<Integer> sequences(List<RecordedEvent> batch) {
    return batch.stream().map(RecordedEvent::sequence).toList();
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /**
   * The queue holds the events of the given ranges ({@code from, to} pairs), by count and bytes, in
   * the stats and in the health figures.
   */
  private static void assertQueued(RecorderStats stats, int... ranges) {
    int events = 0;
    long bytes = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      for (int sequence = ranges[i]; sequence < ranges[i + 1]; sequence++) {
        events++;
        bytes += chunk(sequence).bytes();
      }
    }
    assertThat(stats.queueSize()).isEqualTo(events);
    RecorderHealth health = stats.health();
    assertThat(health.queuedEvents()).isEqualTo(events);
    assertThat(health.queuedBytes()).isEqualTo(bytes);
    assertThat(health.bufferPercent()).isEqualTo(events);
  }

  private static RecordedEvent chunk(int sequence) {
    return RecordedEvent.fromJson(event(CALL, "policy.chunk", sequence));
  }

  private static RecorderSettings settings(
      int batchSize, long flushMillis, int bufferMax, long retryMin, long retryMax) {
    return new RecorderSettings(
        null, null, batchSize, flushMillis, bufferMax, retryMin, retryMax, 1_000);
  }

  private static void add(BatchWriter writer, int from, int to) {
    for (int sequence = from; sequence < to; sequence++) {
      writer.add(chunk(sequence));
    }
  }

  private static long gapMillis(FlakyStore store, int attempt) {
    return (store.attemptNanos.get(attempt) - store.attemptNanos.get(attempt - 1)) / 1_000_000;
  }

  private static void on(Context context, Runnable action) {
    awaitOn(
        context,
        () -> {
          action.run();
          return Future.succeededFuture();
        });
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
