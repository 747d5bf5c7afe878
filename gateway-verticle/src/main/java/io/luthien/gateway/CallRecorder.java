package io.luthien.gateway;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.MessageHeaders;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where a gateway sends what it records: fire-and-forget sends to {@code recorder.events} and
 * {@code activity.events} (ARCHITECTURE §2). Nothing waits for the recorder, so a slow or absent one never
 * slows a completion; when recording is off, nothing is sent at all.
 */
final class CallRecorder {

  static final int PREVIEW_CHARS = 200;

  private final EventBus bus;
  private final boolean enabled;

  CallRecorder(EventBus bus, boolean enabled) {
    this.bus = bus;
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  void event(String callId, String eventType, int sequence, JsonObject payload, JsonObject call) {
    JsonObject body = new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.EVENT_TYPE, eventType)
        .put(Fields.SEQUENCE, sequence)
        .put(Fields.TIMESTAMP, Instant.now().toString())
        .put(Fields.PAYLOAD, payload);
    if (call != null) {
      body.put(Fields.CALL, call);
    }
    bus.send(Addresses.RECORDER_EVENTS, body, headers(callId));
  }

  void activity(String callId, String eventType, JsonObject data) {
    bus.send(Addresses.ACTIVITY_EVENTS, new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.EVENT_TYPE, eventType)
        .put(Fields.TIMESTAMP, Instant.now().toString())
        .put(Fields.DATA, data), headers(callId));
  }

  static String preview(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
  }

  private static DeliveryOptions headers(String callId) {
    return new DeliveryOptions().addHeader(MessageHeaders.CALL_ID, callId);
  }
}
