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

  /**
   * One event as the hub numbered it. Its SSE frame is encoded once, for every browser, and only
   * when a browser wants it: with nobody listening, an event is remembered but never encoded. Used
   * only under the hub's lock.
   */
  static final class Numbered {
    private final long sequence;
    private final JsonObject event;
    private final String stream;
    private Buffer frame;

    Numbered(long sequence, JsonObject event, String stream) {
      this.sequence = sequence;
      this.event = event;
      this.stream = stream;
    }

    long sequence() {
      return sequence;
    }

    JsonObject event() {
      return event;
    }

    /** {@code id: <stream>-<sequence>}, then the event as {@code data:}. */
    Buffer frame() {
      if (frame == null) {
        frame =
            Buffer.buffer("id: " + stream + "-" + sequence + "\ndata: ")
                .appendBuffer(event.toBuffer())
                .appendString("\n\n");
      }
      return frame;
    }
  }
}
