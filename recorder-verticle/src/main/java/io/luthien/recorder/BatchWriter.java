package io.luthien.recorder;

import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer in front of the {@link EventStore}. A batch leaves when {@code batchSize}
 * events (or {@code batchMaxBytes}) wait or when the oldest has waited {@code flushMillis}; one
 * batch is in flight at a time. The buffer holds at most {@code bufferMax} events and {@code
 * bufferMaxBytes} bytes of payload. A failed batch stays at the head of the buffer and is tried
 * again after a back-off that doubles from {@code retryMinMillis} up to {@code retryMaxMillis},
 * while new events keep queuing behind it until the buffer is full; from then on new events are
 * dropped, counted and logged.
 *
 * <p>Not thread-safe: every method runs on the recorder verticle's event loop.
 */
final class BatchWriter {

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  private final Vertx vertx;
  private final EventStore store;
  private final RecorderSettings settings;
  private final RecorderStats stats;
  private final RecorderTelemetry telemetry;
  private final Consumer<List<RecordedEvent>> onWritten;
  private final LossLog drops = new LossLog(log, "recorder events because the buffer is full");
  private final ArrayDeque<QueuedEvent> buffer = new ArrayDeque<>();
  private long bufferedBytes;

  private boolean writing;
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
   * {@code onWritten} is given each committed batch, on the event loop; it must return at once (it
   * is on the recording path).
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
   * {@code receivedIn} is the span that received it, which the batch's span links to.
   */
  void add(RecordedEvent event, SpanContext receivedIn) {
    if (buffer.size() >= settings.bufferMax()
        || bufferedBytes + event.bytes() > settings.bufferMaxBytes()) {
      drops.lost(
          stats.eventDropped(),
          event.callId().toString(),
          String.format(
              "%s #%d of %d bytes; %d events of %d bytes wait for PostgreSQL",
              RecordedEvent.shortened(event.eventType()),
              event.sequence(),
              event.bytes(),
              buffer.size(),
              bufferedBytes));
      return;
    }
    buffer.add(new QueuedEvent(event, receivedIn, System.nanoTime()));
    bufferedBytes += event.bytes();
    bufferChanged();
    if (writing || backingOff || stopped) {
      return;
    }
    if (batchReady()) {
      flush();
    } else if (timer < 0) {
      scheduleFlush();
    }
  }

  /**
   * Tries to write everything buffered, for at most {@code timeoutMillis}; completes either way,
   * and what is left then is reported, never silently lost.
   */
  Future<Void> drain(long timeoutMillis) {
    if (buffer.isEmpty()) {
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
                    "recorder stopping with {} events not written to PostgreSQL", buffer.size());
                drained.complete();
              }
            });
    if (!writing) {
      flush();
    }
    return drained
        .future()
        .onComplete(
            done -> {
              stopped = true;
              vertx.cancelTimer(deadline);
              cancelTimer();
            });
  }

  private boolean batchReady() {
    return buffer.size() >= settings.batchSize() || bufferedBytes >= settings.batchMaxBytes();
  }

  private void scheduleFlush() {
    if (batchReady() || drained != null) {
      flush();
      return;
    }
    long waitedMillis =
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - buffer.peek().sinceNanos());
    long delay = settings.flushMillis() - waitedMillis;
    if (delay < 1) {
      flush();
    } else {
      timer = vertx.setTimer(delay, fired -> flush());
    }
  }

  private void flush() {
    cancelTimer();
    backingOff = false;
    if (writing || stopped || buffer.isEmpty()) {
      return;
    }
    List<QueuedEvent> batch = head();
    writing = true;
    telemetry
        .writeBatch(batch, () -> write(batch.stream().map(QueuedEvent::event).toList()))
        .onComplete(
            done -> {
              writing = false;
              if (done.succeeded()) {
                written(batch.size());
              } else {
                failed(done.cause());
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

  /** The oldest events, within both batch bounds; always at least one, however big. */
  private List<QueuedEvent> head() {
    List<QueuedEvent> batch = new ArrayList<>(Math.min(settings.batchSize(), buffer.size()));
    long bytes = 0;
    Iterator<QueuedEvent> waiting = buffer.iterator();
    while (waiting.hasNext() && batch.size() < settings.batchSize()) {
      QueuedEvent next = waiting.next();
      bytes += next.event().bytes();
      if (!batch.isEmpty() && bytes > settings.batchMaxBytes()) {
        break;
      }
      batch.add(next);
    }
    return batch;
  }

  private void written(int count) {
    List<RecordedEvent> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      RecordedEvent event = buffer.poll().event();
      bufferedBytes -= event.bytes();
      batch.add(event);
    }
    bufferChanged();
    stats.batchWritten(count);
    drops.settled(stats.droppedEvents());
    backoffMillis = settings.retryMinMillis();
    onWritten.accept(batch);
    if (failingSinceNanos >= 0) {
      log.info(
          "recorder writes to PostgreSQL again after {} ms; {} events had waited",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSinceNanos),
          count + buffer.size());
      failingSinceNanos = -1;
    }
    if (buffer.isEmpty()) {
      if (drained != null) {
        drained.tryComplete();
      }
    } else if (!stopped) {
      scheduleFlush();
    }
  }

  private void bufferChanged() {
    QueuedEvent oldest = buffer.peek();
    stats.buffered(buffer.size(), bufferedBytes, oldest == null ? -1 : oldest.sinceNanos());
  }

  private void failed(Throwable cause) {
    stats.writeFailed(LossLog.describe(cause));
    if (failingSinceNanos < 0) {
      failingSinceNanos = System.nanoTime();
      log.warn(
          "recorder cannot write to PostgreSQL ({}); {} events wait, retrying after {} ms, backing off to {} ms",
          LossLog.describe(cause),
          buffer.size(),
          settings.retryMinMillis(),
          settings.retryMaxMillis());
    } else {
      log.debug(
          "recorder write retry failed ({}); {} events wait",
          LossLog.describe(cause),
          buffer.size());
    }
    if (stopped) {
      return;
    }
    backingOff = true;
    timer = vertx.setTimer(backoffMillis, retry -> flush());
    backoffMillis = Math.min(backoffMillis * 2, settings.retryMaxMillis());
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
