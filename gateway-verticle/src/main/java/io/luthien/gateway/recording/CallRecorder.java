package io.luthien.gateway.recording;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.ActivityEvent;
import io.luthien.shared.payloads.RecorderEvent;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.context.Context;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where a gateway sends what it records: fire-and-forget sends to {@code recorder.events} and
 * {@code activity.events} (ARCHITECTURE §2). Nothing waits for the recorder, so a slow or absent
 * one never slows a completion; when recording is off, nothing is sent at all. A recorder event
 * carries the call's trace ({@link BusTrace}), which the recorder's batch span links to; live
 * activity carries only the call id.
 */
public final class CallRecorder {

  static final int PREVIEW_CHARS = 200;

  private final EventBus bus;
  private final boolean enabled;

  public CallRecorder(EventBus bus, boolean enabled) {
    this.bus = bus;
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  void event(Context trace, RecorderEvent event) {
    bus.send(Addresses.RECORDER_EVENTS, event.toJson(), BusTrace.options(trace, event.callId()));
  }

  /** A live activity event (a call's start, end, or a stream's preview as it goes). */
  void activity(String callId, String eventType, JsonObject data) {
    bus.send(
        Addresses.ACTIVITY_EVENTS,
        activityBody(callId, eventType, data),
        BusTrace.untraced(callId));
  }

  static String preview(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
  }

  private static JsonObject activityBody(String callId, String eventType, JsonObject data) {
    return new ActivityEvent(callId, eventType, Instant.now(), data).toJson();
  }
}
