package io.luthien.recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorder's running numbers, for metrics and tests. Written on the recorder's event loop,
 * readable from any thread. Every event that is not written shows up in exactly one of the loss
 * counters.
 */
public final class RecorderStats {

  private final AtomicInteger queueSize = new AtomicInteger();
  private final AtomicLong writtenEvents = new AtomicLong();
  private final AtomicLong writtenBatches = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final AtomicLong malformedEvents = new AtomicLong();
  private final AtomicLong rejectedEvents = new AtomicLong();
  private final AtomicLong unstorableEvents = new AtomicLong();
  private final AtomicLong relayedActivity = new AtomicLong();
  private final AtomicLong droppedActivity = new AtomicLong();
  private final AtomicLong purgedCalls = new AtomicLong();
  private final AtomicLong webhookDelivered = new AtomicLong();
  private final AtomicLong webhookQueueFull = new AtomicLong();
  private final AtomicLong webhookRetriesExhausted = new AtomicLong();
  private final AtomicLong webhookRejected = new AtomicLong();
  private final AtomicLong webhookUnreadable = new AtomicLong();
  private final AtomicLong webhookStopped = new AtomicLong();
  private final AtomicInteger webhookQueued = new AtomicInteger();
  private volatile long queuedBytes;
  private volatile long oldestQueuedNanos = -1;
  private volatile int bufferMaxEvents = Integer.MAX_VALUE;
  private volatile long bufferMaxBytes = Long.MAX_VALUE;
  private final AtomicInteger consecutiveFailedWrites = new AtomicInteger();
  private volatile String lastFailure;
  private volatile long lastWriteNanos = -1;
  private volatile long lastDropNanos = -1;

  /** Events waiting in memory for their batch, including the batches being written or retried. */
  public int queueSize() {
    return queueSize.get();
  }

  /** Events in committed batches (a redelivered event counts again; its row does not). */
  public long writtenEvents() {
    return writtenEvents.get();
  }

  /** Committed transactions, one per batch. */
  public long writtenBatches() {
    return writtenBatches.get();
  }

  /** Batch writes that failed and were scheduled again. */
  public long failedWrites() {
    return failedWrites.get();
  }

  /** Events refused because the buffer was full (in events or in bytes). */
  public long droppedEvents() {
    return droppedEvents.get();
  }

  /** Messages that did not follow the {@code recorder.events} contract. */
  public long malformedEvents() {
    return malformedEvents.get();
  }

  /** Valid-looking events PostgreSQL refused on their own (a data error no retry can fix). */
  public long rejectedEvents() {
    return rejectedEvents.get();
  }

  /**
   * Valid events that could not become a row: a payload that cannot be encoded (nested too deep),
   * or an event the database client failed on alone for a reason other than the database being
   * down.
   */
  public long unstorableEvents() {
    return unstorableEvents.get();
  }

  /** Activity events handed to the live feed. */
  public long relayedActivity() {
    return relayedActivity.get();
  }

  /**
   * Activity events lost because the feed was unreachable (or the message was not a JSON object).
   */
  public long droppedActivity() {
    return droppedActivity.get();
  }

  /** Recorded calls the retention purge deleted (with their model calls). */
  public long purgedCalls() {
    return purgedCalls.get();
  }

  /** Completed calls the webhook receiver took (a 2xx answer). */
  public long webhookDelivered() {
    return webhookDelivered.get();
  }

  /** Completed calls not posted because the webhook queue was full. */
  public long webhookQueueFull() {
    return webhookQueueFull.get();
  }

  /** Completed calls whose every try failed (no answer, a 5xx or a 429). */
  public long webhookRetriesExhausted() {
    return webhookRetriesExhausted.get();
  }

  /** Completed calls the receiver refused with a status that is not retried (a 4xx but 429). */
  public long webhookRejected() {
    return webhookRejected.get();
  }

  /** Completed calls whose row could not be read back for their POST. */
  public long webhookUnreadable() {
    return webhookUnreadable.get();
  }

  /** Completed calls still waiting for their POST when the recorder stopped. */
  public long webhookStopped() {
    return webhookStopped.get();
  }

  /** Every completed call the webhook did not deliver, whatever the reason. */
  public long webhookDropped() {
    return webhookQueueFull()
        + webhookRetriesExhausted()
        + webhookRejected()
        + webhookUnreadable()
        + webhookStopped();
  }

  /** Completed calls waiting for their POST, including those being posted or retried. */
  public int webhookQueued() {
    return webhookQueued.get();
  }

  /** Whether the recorder can store what it is sent, and the numbers that say so. */
  public RecorderHealth health() {
    long now = System.nanoTime();
    int failedInARow = consecutiveFailedWrites.get();
    String failure = failedInARow == 0 ? null : lastFailure;
    long oldest = oldestQueuedNanos;
    long oldestWaitingMillis = oldest < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - oldest);
    int events = queueSize();
    long bytes = queuedBytes;
    int bufferPercent =
        (int) Math.max(100L * events / bufferMaxEvents, 100L * bytes / bufferMaxBytes);
    Long sinceDrop = millisSince(lastDropNanos, now);
    return new RecorderHealth(
        RecorderHealth.problem(
            failedInARow, failure, oldestWaitingMillis, bufferPercent, sinceDrop),
        failedInARow,
        millisSince(lastWriteNanos, now),
        oldestWaitingMillis,
        events,
        bytes,
        bufferPercent,
        droppedEvents(),
        failure);
  }

  private static Long millisSince(long nanos, long now) {
    return nanos < 0 ? null : TimeUnit.NANOSECONDS.toMillis(now - nanos);
  }

  void bufferBounds(int maxEvents, long maxBytes) {
    bufferMaxEvents = maxEvents;
    bufferMaxBytes = maxBytes;
  }

  /** What waits in the buffer: events, payload bytes, and since when the oldest (-1: none). */
  void buffered(int events, long bytes, long oldestNanos) {
    queueSize.set(events);
    queuedBytes = bytes;
    oldestQueuedNanos = oldestNanos;
  }

  void batchWritten(int events) {
    writtenEvents.addAndGet(events);
    writtenBatches.incrementAndGet();
    consecutiveFailedWrites.set(0);
    lastFailure = null;
    lastWriteNanos = System.nanoTime();
  }

  void writeFailed(String failure) {
    failedWrites.incrementAndGet();
    lastFailure = failure;
    consecutiveFailedWrites.incrementAndGet();
  }

  long eventDropped() {
    lastDropNanos = System.nanoTime();
    return droppedEvents.incrementAndGet();
  }

  long eventMalformed() {
    return malformedEvents.incrementAndGet();
  }

  long eventRejected() {
    return rejectedEvents.incrementAndGet();
  }

  long eventUnstorable() {
    return unstorableEvents.incrementAndGet();
  }

  void activityRelayed() {
    relayedActivity.incrementAndGet();
  }

  long activityDropped() {
    return droppedActivity.incrementAndGet();
  }

  void callsPurged(long calls) {
    purgedCalls.addAndGet(calls);
  }

  void callDelivered() {
    webhookDelivered.incrementAndGet();
  }

  void webhookQueued(int calls) {
    webhookQueued.set(calls);
  }

  /** Counts one undelivered call under its reason; the total of all reasons, for the log. */
  long webhookDropped(WebhookDrop reason) {
    switch (reason) {
      case QUEUE_FULL -> webhookQueueFull.incrementAndGet();
      case RETRIES_EXHAUSTED -> webhookRetriesExhausted.incrementAndGet();
      case REJECTED -> webhookRejected.incrementAndGet();
      case UNREADABLE -> webhookUnreadable.incrementAndGet();
      case STOPPED -> webhookStopped.incrementAndGet();
    }
    return webhookDropped();
  }
}
