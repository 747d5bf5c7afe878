package io.luthien.debug;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans the node's one activity subscription out to every connected browser. A browser that reads too slowly
 * loses events (counted) instead of making the node buffer for it without bound.
 */
final class ActivityHub {

  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final AtomicLong skippedForSlowClients = new AtomicLong();

  void add(Listener listener) {
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

  void publish(JsonObject event) {
    if (listeners.isEmpty()) {
      return;
    }
    Buffer frame = Buffer.buffer("data: ").appendBuffer(event.toBuffer()).appendString("\n\n");
    for (Listener listener : listeners) {
      if (listener.filter().matches(event)) {
        if (listener.response().writeQueueFull()) {
          skippedForSlowClients.incrementAndGet();
        } else {
          listener.response().write(frame);
        }
      }
    }
  }

  /** One browser's SSE response and what it asked to see. */
  record Listener(HttpServerResponse response, ActivityFilter filter) {
  }
}
