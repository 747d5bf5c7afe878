package io.luthien.recorder;

import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer in front of the {@link EventStore}. A batch leaves when {@code batchSize}
 * events (or {@code batchMaxBytes}) wait or when the oldest has waited {@code flushMillis}, and
 * fewer than {@code writers} batches are in flight: each batch takes the oldest waiting events, so
 * under load up to {@code writers} batches are written at once, each on a pooled connection of its
 * own. The buffer holds at most {@code bufferMax} events and {@code bufferMaxBytes} bytes of
 * payload, counting the events in flight: they leave it only once written. A failed batch goes back
 * among the waiting events, in its place (the order they were queued in), and is tried again after
 * a back-off that doubles from {@code retryMinMillis} up to {@code retryMaxMillis}; while it backs
 * off no batch starts, the batches in flight finish, and new events keep queuing until the buffer
 * is full; from then on new events are dropped, counted and logged.
 *
 * <p>Batches in flight commit in any order, but {@code onWritten} gets a committed batch only once
 * every event queued before its last one is written too: when it gets the event that completes a
 * call, the call's earlier events are in its row, as with one writer ({@link CompletedCalls} reads
 * the row back for the webhook).
 *
 * <p>Two batches in flight hold different events (an event is in one batch at a time). Each is one
 * statement ({@link PgEventStore}) that inserts its events, whose keys the other batch does not
 * have, then upserts its calls' rows in {@code call_id} order, so two writers that touch the same
 * calls lock their rows in the same order: one waits for the other, neither waits for a row the
 * waiting one holds. The events' foreign-key checks at the end of the statement take {@code KEY
 * SHARE} locks, which the upserts' {@code NO KEY UPDATE} locks do not block. Should PostgreSQL
 * still find a deadlock (two batches holding the same event, a message sent twice, each waiting for
 * the other's insert of it and holding a call row the other needs), it aborts one statement with
 * SQLSTATE 40P01, which {@link IsolatingStore} counts as the database being unavailable, so that
 * batch is retried like any failed one. Writes of one call commute (the row merges its columns),
 * except the order in which their texts are appended to the call's {@code search_text}, which
 * follows the commits.
 *
 * <p>Not thread-safe: every method runs on the recorder verticle's event loop.
 */
final class BatchWriter {

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  /**
   * Events written by one store call, oldest first, with their payload bytes; equal only to itself
   * (it is removed from the batches in flight by identity).
   */
  private static final class Batch {
    private final List<QueuedEvent> events;
    private final long bytes;

    Batch(List<QueuedEvent> events, long bytes) {
      this.events = events;
      this.bytes = bytes;
    }

    List<QueuedEvent> events() {
      return events;
    }

    long bytes() {
      return bytes;
    }

    long lastOrder() {
      return events.get(events.size() - 1).order();
    }
  }

  private final Vertx vertx;
  private final EventStore store;
  private final RecorderSettings settings;
  private final RecorderStats stats;
  private final RecorderTelemetry telemetry;
  private final Consumer<List<RecordedEvent>> onWritten;
  private final LossLog drops = new LossLog(log, "recorder events because the buffer is full");

  /** Events not in flight, oldest (lowest order) first. */
  private final ArrayDeque<QueuedEvent> waiting = new ArrayDeque<>();

  private long waitingBytes;
  private final List<Batch> inFlight = new ArrayList<>();
  private int inFlightEvents;
  private long inFlightBytes;

  /** Committed batches waiting for an older event to be written before they go to onWritten. */
  private final List<Batch> unannounced = new ArrayList<>();

  private long nextOrder;

  /** The highest order a batch ever took: a waiting event at or below it was in a failed batch. */
  private long takenUpTo = -1;

  private boolean backingOff;
  private boolean stopped;
  private long timer = -1;
  private long backoffMillis;
  private long failingSinceNanos = -1;
  private Promise<Void> drained;

  /** Without telemetry. */
  BatchWriter(Vertx vertx, EventStore store, RecorderSettings settings, RecorderStats stats) {
    this(vertx, store, settings, stats, RecorderTelemetry.NOOP);
  }

  /** Telling no one what it wrote. */
  BatchWriter(
      Vertx vertx,
      EventStore store,
      RecorderSettings settings,
      RecorderStats stats,
      RecorderTelemetry telemetry) {
    this(vertx, store, settings, stats, telemetry, written -> {});
  }

  /**
   * {@code onWritten} is given each committed batch, on the event loop, once the events queued
   * before it are written too; it must return at once (it is on the recording path).
   */
  BatchWriter(
      Vertx vertx,
      EventStore store,
      RecorderSettings settings,
      RecorderStats stats,
      RecorderTelemetry telemetry,
      Consumer<List<RecordedEvent>> onWritten) {
    this.vertx = vertx;
    this.onWritten = onWritten;
    this.store = store;
    this.settings = settings;
    this.stats = stats;
    this.telemetry = telemetry;
    this.backoffMillis = settings.retryMinMillis();
    stats.bufferBounds(settings.bufferMax(), settings.bufferMaxBytes());
  }

  /** Queues an event that no traced message brought. */
  void add(RecordedEvent event) {
    add(event, SpanContext.getInvalid());
  }

  /**
   * Queues the event for its batch, or drops it (counted and logged) when the buffer is full.
   * {@code callSpan} is the call's span that sent it, which the batch's span links to.
   */
  void add(RecordedEvent event, SpanContext callSpan) {
    int queued = queuedEvents();
    long bytes = queuedBytes();
    if (queued >= settings.bufferMax() || bytes + event.bytes() > settings.bufferMaxBytes()) {
      drops.lost(
          stats.eventDropped(),
          event.callId().toString(),
          String.format(
              "%s #%d of %d bytes; %d events of %d bytes wait for PostgreSQL",
              RecordedEvent.shortened(event.eventType()),
              event.sequence(),
              event.bytes(),
              queued,
              bytes));
      return;
    }
    waiting.add(new QueuedEvent(event, callSpan, System.nanoTime(), nextOrder++));
    waitingBytes += event.bytes();
    bufferChanged();
    startBatches();
  }

  /**
   * Tries to write everything buffered, for at most {@code timeoutMillis}; completes either way,
   * and what is left then is reported, never silently lost. Waits for the batches in flight.
   */
  Future<Void> drain(long timeoutMillis) {
    if (queuedEvents() == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    long deadline =
        vertx.setTimer(
            Math.max(1, timeoutMillis),
            expired -> {
              if (!drained.future().isComplete()) {
                drops.settled(stats.droppedEvents());
                log.warn(
                    "recorder stopping with {} events not written to PostgreSQL", queuedEvents());
                announce(true);
                drained.complete();
              }
            });
    if (backingOff) {
      cancelTimer();
      backingOff = false;
    }
    startBatches();
    return drained
        .future()
        .onComplete(
            done -> {
              stopped = true;
              vertx.cancelTimer(deadline);
              cancelTimer();
            });
  }

  /** Events not written yet, in flight or waiting. */
  private int queuedEvents() {
    return waiting.size() + inFlightEvents;
  }

  private long queuedBytes() {
    return waitingBytes + inFlightBytes;
  }

  /**
   * Starts batches while fewer than {@code writers} are in flight and one is ready; when the next
   * one is not ready yet, sets the timer for when its oldest event has waited {@code flushMillis}.
   */
  private void startBatches() {
    while (!backingOff && !stopped && inFlight.size() < settings.writers() && !waiting.isEmpty()) {
      long delay = millisUntilReady();
      if (delay > 0) {
        if (timer < 0) {
          timer =
              vertx.setTimer(
                  delay,
                  fired -> {
                    timer = -1;
                    startBatches();
                  });
        }
        return;
      }
      cancelTimer();
      start(head());
    }
  }

  /**
   * 0 when the next batch may leave: enough events wait, or the oldest has waited long enough, or
   * it was in a failed batch (which was ready when it left), or the writer is draining.
   */
  private long millisUntilReady() {
    QueuedEvent oldest = waiting.peek();
    if (drained != null
        || oldest.order() <= takenUpTo
        || waiting.size() >= settings.batchSize()
        || waitingBytes >= settings.batchMaxBytes()) {
      return 0;
    }
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.sinceNanos());
    return Math.max(0, settings.flushMillis() - waitedMillis);
  }

  /**
   * Takes the oldest waiting events, within both batch bounds; always at least one, however big.
   */
  private Batch head() {
    List<QueuedEvent> events = new ArrayList<>(Math.min(settings.batchSize(), waiting.size()));
    long bytes = 0;
    while (!waiting.isEmpty() && events.size() < settings.batchSize()) {
      long eventBytes = waiting.peek().event().bytes();
      if (!events.isEmpty() && bytes + eventBytes > settings.batchMaxBytes()) {
        break;
      }
      events.add(waiting.poll());
      bytes += eventBytes;
    }
    waitingBytes -= bytes;
    return new Batch(events, bytes);
  }

  private void start(Batch batch) {
    inFlight.add(batch);
    inFlightEvents += batch.events().size();
    inFlightBytes += batch.bytes();
    takenUpTo = Math.max(takenUpTo, batch.lastOrder());
    telemetry
        .writeBatch(
            batch.events(), () -> write(batch.events().stream().map(QueuedEvent::event).toList()))
        .onComplete(
            done -> {
              inFlight.remove(batch);
              inFlightEvents -= batch.events().size();
              inFlightBytes -= batch.bytes();
              if (done.succeeded()) {
                written(batch);
              } else {
                failed(batch, done.cause());
              }
            });
  }

  /** A failure of the store, even a thrown one, must reach {@link #failed}, or nothing would. */
  private Future<Void> write(List<RecordedEvent> batch) {
    try {
      return store.write(batch);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void written(Batch batch) {
    int count = batch.events().size();
    bufferChanged();
    stats.batchWritten(count);
    drops.settled(stats.droppedEvents());
    backoffMillis = settings.retryMinMillis();
    unannounced.add(batch);
    announce(stopped);
    if (failingSinceNanos >= 0) {
      log.info(
          "recorder writes to PostgreSQL again after {} ms; {} events had waited",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSinceNanos),
          count + queuedEvents());
      failingSinceNanos = -1;
    }
    if (queuedEvents() == 0) {
      if (drained != null) {
        drained.tryComplete();
      }
    } else {
      startBatches();
    }
  }

  /**
   * Hands onWritten the committed batches whose every older event is written, oldest first; {@code
   * all}: every committed batch (the writer stops, the older events will not be written).
   */
  private void announce(boolean all) {
    if (unannounced.isEmpty()) {
      return;
    }
    unannounced.sort(Comparator.comparingLong(Batch::lastOrder));
    long unwritten = oldestUnwrittenOrder();
    Iterator<Batch> batches = unannounced.iterator();
    while (batches.hasNext()) {
      Batch batch = batches.next();
      if (!all && batch.lastOrder() > unwritten) {
        return;
      }
      batches.remove();
      onWritten.accept(batch.events().stream().map(QueuedEvent::event).toList());
    }
  }

  /** The oldest event not written, waiting or in flight; null when every event is written. */
  private QueuedEvent oldestUnwritten() {
    QueuedEvent oldest = waiting.peek();
    for (Batch batch : inFlight) {
      QueuedEvent first = batch.events().get(0);
      if (oldest == null || first.order() < oldest.order()) {
        oldest = first;
      }
    }
    return oldest;
  }

  private long oldestUnwrittenOrder() {
    QueuedEvent oldest = oldestUnwritten();
    return oldest == null ? Long.MAX_VALUE : oldest.order();
  }

  private void bufferChanged() {
    QueuedEvent oldest = oldestUnwritten();
    stats.buffered(queuedEvents(), queuedBytes(), oldest == null ? -1 : oldest.sinceNanos());
  }

  private void failed(Batch batch, Throwable cause) {
    putBack(batch);
    stats.writeFailed(LossLog.describe(cause));
    if (failingSinceNanos < 0) {
      failingSinceNanos = System.nanoTime();
      log.warn(
          "recorder cannot write to PostgreSQL ({}); {} events wait, retrying after {} ms, backing off to {} ms",
          LossLog.describe(cause),
          queuedEvents(),
          settings.retryMinMillis(),
          settings.retryMaxMillis());
    } else {
      log.debug(
          "recorder write retry failed ({}); {} events wait",
          LossLog.describe(cause),
          queuedEvents());
    }
    if (stopped || backingOff) {
      // backing off already: the retry that ends it takes this batch's events too
      return;
    }
    cancelTimer();
    backingOff = true;
    timer =
        vertx.setTimer(
            backoffMillis,
            retry -> {
              timer = -1;
              backingOff = false;
              startBatches();
            });
    backoffMillis = Math.min(backoffMillis * 2, settings.retryMaxMillis());
  }

  /**
   * The failed batch's events go back among the waiting ones, in their places: after the events of
   * older failed batches, before those of younger ones and before the events no batch took yet.
   */
  private void putBack(Batch batch) {
    List<QueuedEvent> older = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.peek().order() < batch.lastOrder()) {
      older.add(waiting.poll());
    }
    List<QueuedEvent> merged = new ArrayList<>(older.size() + batch.events().size());
    merged.addAll(older);
    merged.addAll(batch.events());
    merged.sort(Comparator.comparingLong(QueuedEvent::order));
    for (int i = merged.size() - 1; i >= 0; i--) {
      waiting.addFirst(merged.get(i));
    }
    waitingBytes += batch.bytes();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
