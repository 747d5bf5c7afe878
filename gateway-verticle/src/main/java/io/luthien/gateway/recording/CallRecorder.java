package io.luthien.gateway.recording;

import io.luthien.shared.Addresses;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.payloads.ActivityEvent;
import io.luthien.shared.payloads.RecorderEvent;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import java.time.Instant;

/**
 * Where a gateway sends what it records: fire-and-forget sends to {@code recorder.events} and
 * {@code activity.events} (ARCHITECTURE §2). Nothing waits for the recorder, so a slow or absent
 * one never slows a completion; when recording is off, nothing is sent at all. Sends run under the
 * call's trace context (many happen after the response went out, when the server span's scope is
 * already closed), except the per-chunk stream previews, which are not traced.
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
    try (Scope scope = trace.makeCurrent()) {
      bus.send(Addresses.RECORDER_EVENTS, event.toJson(), headers(event.callId()));
    }
  }

  void activity(Context trace, String callId, String eventType, JsonObject data) {
    try (Scope scope = trace.makeCurrent()) {
      bus.send(Addresses.ACTIVITY_EVENTS, activityBody(callId, eventType, data), headers(callId));
    }
  }

  /**
   * A live preview of a stream as it goes: frequent, so it makes no span and carries no trace
   * headers.
   */
  void untracedActivity(String callId, String eventType, JsonObject data) {
    bus.send(
        Addresses.ACTIVITY_EVENTS,
        activityBody(callId, eventType, data),
        headers(callId).setTracingPolicy(TracingPolicy.IGNORE));
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

  private static DeliveryOptions headers(String callId) {
    return new DeliveryOptions().addHeader(MessageHeaders.CALL_ID, callId);
  }
}
