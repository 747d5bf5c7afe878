package io.luthien.gateway.recording;

import io.luthien.gateway.api.CallOwner;
import io.luthien.gateway.api.ClientApi;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.CallUpdate;
import io.luthien.shared.payloads.RecorderEvent;
import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What one call has recorded so far: its identity, the next sequence number (counting from 0 per
 * call, which makes (call_id, event_type, sequence) the recorder's idempotent key), and whether its
 * outcome is already recorded.
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
  private String parentCallId;
  private CallOwner owner = CallOwner.NONE;
  private boolean finished;

  CallLedger(
      CallRecorder out, Context trace, String callId, ClientApi api, String model, boolean stream) {
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

  /** This call is a policy's model call made for {@code parent}. */
  void childOf(String parent) {
    parentCallId = parent;
  }

  /** The call's session and user, recorded with its request. */
  void ownedBy(CallOwner callOwner) {
    owner = callOwner;
  }

  /** The agent session the call belongs to, or null. */
  String sessionId() {
    return owner.sessionId();
  }

  void routedTo(String providerName) {
    provider = providerName;
  }

  /** One event of the call; {@code call} is what it tells of the call's row. */
  void event(String eventType, JsonObject payload, CallUpdate call) {
    out.event(
        trace, new RecorderEvent(callId, eventType, nextSequence++, Instant.now(), payload, call));
  }

  /**
   * The request event's row: the call as it began, who it belongs to and whether the policy changed
   * the request.
   */
  CallUpdate began(boolean requestChanged) {
    return new CallUpdate(
        model,
        null,
        api.name(),
        stream,
        null,
        Instant.now(),
        null,
        parentCallId,
        owner.sessionId(),
        owner.userId(),
        requestChanged ? Boolean.TRUE : null,
        null,
        null);
  }

  /** The request event's row of a call the policy blocked: it began and ended with the refusal. */
  CallUpdate blocked(int status) {
    finished = true;
    Instant now = Instant.now();
    return new CallUpdate(
        model,
        null,
        api.name(),
        stream,
        status,
        now,
        now,
        parentCallId,
        owner.sessionId(),
        owner.userId(),
        null,
        Boolean.TRUE,
        null);
  }

  /**
   * The outcome is recorded once: after this, nothing else is; {@code responseChanged}: the policy
   * changed the answer.
   */
  CallUpdate finish(int status, boolean responseChanged) {
    finished = true;
    return new CallUpdate(
        model,
        provider,
        api.name(),
        stream,
        status,
        null,
        Instant.now(),
        null,
        null,
        null,
        responseChanged ? Boolean.TRUE : null,
        null,
        null);
  }

  /** A policy event's row: only a policy's model call (a judge's) tells anything of the call. */
  static CallUpdate policyEvent(String eventType) {
    return Fields.EVENT_POLICY_MODEL_CALL.equals(eventType)
        ? new CallUpdate(
            null, null, null, null, null, null, null, null, null, null, null, null, true)
        : CallUpdate.NONE;
  }

  long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
