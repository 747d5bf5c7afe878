package io.luthien.gateway.recording;

import io.luthien.gateway.api.ClientApi;
import io.luthien.shared.Fields;
import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What one call has recorded so far: its identity, the next sequence number (counting from 0 per call, which makes
 * (call_id, event_type, sequence) the recorder's idempotent key), and whether its outcome is already recorded.
 */
final class CallLedger {

  final CallRecorder out;
  final Context trace;
  final String callId;
  final ClientApi api;
  final String model;
  final boolean stream;
  private final long startedNanos = System.nanoTime();
  private int nextSequence;
  private String provider;
  private boolean finished;

  CallLedger(CallRecorder out, Context trace, String callId, ClientApi api, String model, boolean stream) {
    this.out = out;
    this.trace = trace;
    this.callId = callId;
    this.api = api;
    this.model = model;
    this.stream = stream;
  }

  boolean enabled() {
    return out.enabled();
  }

  boolean nothingRecorded() {
    return nextSequence == 0;
  }

  boolean finished() {
    return finished;
  }

  void routedTo(String providerName) {
    provider = providerName;
  }

  /** One event of the call; {@code call} (nullable) updates the call's row. */
  void event(String eventType, JsonObject payload, JsonObject call) {
    out.event(trace, callId, eventType, nextSequence++, payload, call);
  }

  /** The request event's row: the call as it began. */
  JsonObject beganColumns() {
    return new JsonObject()
        .put(Fields.MODEL, model)
        .put(Fields.API, api.name())
        .put(Fields.STREAM, stream)
        .put(Fields.CREATED_AT, Instant.now().toString());
  }

  /** The outcome is recorded once: after this, nothing else is. */
  JsonObject finish(int status) {
    finished = true;
    return new JsonObject()
        .put(Fields.MODEL, model)
        .put(Fields.PROVIDER, provider)
        .put(Fields.API, api.name())
        .put(Fields.STREAM, stream)
        .put(Fields.STATUS, status)
        .put(Fields.COMPLETED_AT, Instant.now().toString());
  }

  void markFinished() {
    finished = true;
  }

  long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
