package io.luthien.recorder;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Whether a recorder can store what it is sent, for a node's {@code /health} and {@code /ready}. It
 * cannot while its last {@value #FAILED_WRITES_IN_A_ROW} writes failed, while the oldest waiting
 * event has waited {@value #MAX_WAIT_MILLIS} ms (a write that neither succeeds nor fails), while
 * its buffer is {@value #MAX_BUFFER_PERCENT} % full in events or bytes, or for {@value
 * #DROP_MEMORY_MILLIS} ms after it dropped an event. One failed write is a blip the retry absorbs;
 * three in a row (within a second with the default back-off) is an outage.
 *
 * @param problem why it cannot write, or {@code null} when it can
 * @param millisSinceLastWrite since the last committed batch; {@code null} before the first
 * @param oldestWaitingMillis how long the oldest buffered event has waited; 0 when none waits
 * @param bufferPercent the fuller of the buffer's two bounds, events and bytes
 * @param lastFailure what the last failed write said; {@code null} when the last write succeeded
 */
public record RecorderHealth(
    String problem,
    int consecutiveFailedWrites,
    Long millisSinceLastWrite,
    long oldestWaitingMillis,
    int queuedEvents,
    long queuedBytes,
    int bufferPercent,
    long droppedEvents,
    String lastFailure) {

  public static final int FAILED_WRITES_IN_A_ROW = 3;
  public static final long MAX_WAIT_MILLIS = 30_000;
  public static final int MAX_BUFFER_PERCENT = 90;
  public static final long DROP_MEMORY_MILLIS = 60_000;

  /**
   * The recorder instances of one node as one: it can write only if every instance can; the worst
   * figure of each kind, the sums of the queues.
   */
  public static RecorderHealth combined(List<RecorderHealth> instances) {
    return new RecorderHealth(
        instances.stream()
            .map(RecorderHealth::problem)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null),
        instances.stream().mapToInt(RecorderHealth::consecutiveFailedWrites).max().orElse(0),
        instances.stream()
            .map(RecorderHealth::millisSinceLastWrite)
            .filter(Objects::nonNull)
            .min(Long::compare)
            .orElse(null),
        instances.stream().mapToLong(RecorderHealth::oldestWaitingMillis).max().orElse(0),
        instances.stream().mapToInt(RecorderHealth::queuedEvents).sum(),
        instances.stream().mapToLong(RecorderHealth::queuedBytes).sum(),
        instances.stream().mapToInt(RecorderHealth::bufferPercent).max().orElse(0),
        instances.stream().mapToLong(RecorderHealth::droppedEvents).sum(),
        instances.stream()
            .map(RecorderHealth::lastFailure)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null));
  }

  public boolean canWrite() {
    return problem == null;
  }

  static String problem(
      int consecutiveFailedWrites,
      String lastFailure,
      long oldestWaitingMillis,
      int bufferPercent,
      Long millisSinceLastDrop) {
    if (consecutiveFailedWrites >= FAILED_WRITES_IN_A_ROW) {
      return "the last "
          + consecutiveFailedWrites
          + " writes to PostgreSQL failed (last: "
          + lastFailure
          + ")";
    }
    if (oldestWaitingMillis >= MAX_WAIT_MILLIS) {
      return "the oldest event has waited " + oldestWaitingMillis + " ms for PostgreSQL";
    }
    if (bufferPercent >= MAX_BUFFER_PERCENT) {
      return "the buffer is " + bufferPercent + " % full";
    }
    if (millisSinceLastDrop != null && millisSinceLastDrop < DROP_MEMORY_MILLIS) {
      return "an event was dropped " + millisSinceLastDrop + " ms ago (buffer full)";
    }
    return null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("status", canWrite() ? "writing" : "cannot_write")
        .put("problem", problem)
        .put("consecutive_failed_writes", consecutiveFailedWrites)
        .put("ms_since_last_write", millisSinceLastWrite)
        .put("oldest_waiting_ms", oldestWaitingMillis)
        .put("queued_events", queuedEvents)
        .put("queued_bytes", queuedBytes)
        .put("buffer_percent", bufferPercent)
        .put("dropped_events", droppedEvents)
        .put("last_failure", lastFailure);
  }
}
