package io.luthien.debug;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans the node's one activity subscription out to every connected browser, and keeps the latest
 * events so a browser that connects sees what just happened before what happens next. A browser
 * that reads too slowly loses events (counted) instead of making the node buffer for it without
 * bound.
 *
 * <p>Each event is sent with an SSE id, {@code <stream>-<sequence>}: a browser that reconnects
 * sends the last one back as {@code Last-Event-ID} and receives only the remembered events after
 * it. The stream part is new for each hub, so an id from an earlier run of the node (or another
 * debug instance) means "replay everything".
 */
final class ActivityHub {

  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final AtomicLong skippedForSlowClients = new AtomicLong();
  private final String stream = Integer.toHexString(ThreadLocalRandom.current().nextInt());
  private final RecentActivity recent;
  private long lastSequence;

  ActivityHub(int replayEvents) {
    this.recent = new RecentActivity(replayEvents);
  }

  /**
   * Sends the listener the remembered events it has not seen, then every new one. Serialised with
   * {@link #publish}, so each event reaches it exactly once: in the replay or live. The replay is
   * bounded, so it is written whole; only live events are skipped for a browser that reads too
   * slowly.
   */
  synchronized void subscribe(Listener listener, String lastEventId) {
    for (RecentActivity.Numbered past : recent.after(sequenceSeen(lastEventId))) {
      if (listener.filter().matches(past.event())) {
        listener.response().write(past.frame());
      }
    }
    listeners.add(listener);
  }

  void remove(Listener listener) {
    listeners.remove(listener);
  }

  int listeners() {
    return listeners.size();
  }

  long skippedForSlowClients() {
    return skippedForSlowClients.get();
  }

  synchronized void publish(JsonObject event) {
    RecentActivity.Numbered numbered = new RecentActivity.Numbered(++lastSequence, event, stream);
    recent.remember(numbered);
    for (Listener listener : listeners) {
      if (!listener.filter().matches(event)) {
        continue;
      }
      if (listener.response().writeQueueFull()) {
        skippedForSlowClients.incrementAndGet();
      } else {
        listener.response().write(numbered.frame());
      }
    }
  }

  /**
   * The sequence a browser already has according to its last event id; 0 (none) for an id of
   * another stream.
   */
  private long sequenceSeen(String lastEventId) {
    String prefix = stream + "-";
    if (lastEventId == null || !lastEventId.startsWith(prefix)) {
      return 0;
    }
    try {
      return Long.parseLong(lastEventId.substring(prefix.length()));
    } catch (NumberFormatException notOurs) {
      return 0;
    }
  }

  /** One browser's SSE response and what it asked to see. */
  record Listener(HttpServerResponse response, ActivityFilter filter) {}
}
