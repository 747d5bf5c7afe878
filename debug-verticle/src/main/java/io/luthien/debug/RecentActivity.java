package io.luthien.debug;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;

/** The latest activity events a debug node heard, at most {@code capacity}, oldest first. */
final class RecentActivity {

  private final int capacity;
  private final ArrayDeque<Numbered> latest = new ArrayDeque<>();

  RecentActivity(int capacity) {
    this.capacity = capacity;
  }

  void remember(Numbered event) {
    if (capacity == 0) {
      return;
    }
    if (latest.size() == capacity) {
      latest.removeFirst();
    }
    latest.addLast(event);
  }

  /** The remembered events numbered after {@code sequence}, oldest first. */
  List<Numbered> after(long sequence) {
    return latest.stream().filter(event -> event.sequence() > sequence).toList();
  }

  /** One event as the hub numbered it, with its SSE frame, encoded once for every browser. */
  record Numbered(long sequence, JsonObject event, Buffer frame) {}
}
