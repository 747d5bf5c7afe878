package io.luthien.gateway.recording;

import io.luthien.canonical.Completions;
import io.luthien.canonical.Requests;
import io.luthien.gateway.api.CallOwner;
import io.luthien.gateway.api.ClientApi;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.Blocked;
import io.luthien.shared.payloads.PolicyEvent;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Everything one call records, as the handlers see it: the {@code request} event (original and
 * final request), the policy's emitted {@code policy.*} events, the {@code response} event
 * (original and final response; for streams, rebuilt from the chunks on both sides), and live
 * activity for each step. Requests and responses are recorded in the client's format (its {@link
 * ClientApi}), whatever format the provider spoke. Lives on the call's event loop; with recording
 * off, it records nothing.
 */
public final class CallRecord {

  private static final String KEY = "luthien.call_record";

  /** nginx's convention for "the client closed the connection before the answer". */
  public static final int CLIENT_CLOSED = 499;

  private final CallLedger call;
  private final CallActivity activity;
  private final JsonObject originalRequest;
  private StreamedAnswers streamed;
  private JsonObject originalInClientFormat;
  private JsonObject deliveredInClientFormat;

  private CallRecord(CallLedger call, JsonObject originalRequest) {
    this.call = call;
    this.activity = new CallActivity(call);
    this.originalRequest = originalRequest;
  }

  /**
   * Starts the call's record and keeps it on the routing context, where the failure handler finds
   * it; {@code request} is the client's own, as it sent it.
   */
  public static CallRecord begin(
      RoutingContext ctx,
      CallRecorder out,
      String callId,
      ClientApi api,
      JsonObject request,
      CallOwner owner) {
    CallRecord record = start(out, CallTrace.of(ctx).context(), callId, api, request, null, owner);
    ctx.put(KEY, record);
    return record;
  }

  /** A call that did not come over HTTP: a policy's model call, made for {@code parentCallId}. */
  public static CallRecord begin(
      CallRecorder out,
      Context trace,
      String callId,
      ClientApi api,
      JsonObject request,
      String parentCallId) {
    return start(out, trace, callId, api, request, parentCallId, CallOwner.NONE);
  }

  /** The owner is known before the first activity event, which carries its session. */
  private static CallRecord start(
      CallRecorder out,
      Context trace,
      String callId,
      ClientApi api,
      JsonObject request,
      String parentCallId,
      CallOwner owner) {
    CallLedger call =
        new CallLedger(
            out,
            trace,
            callId,
            api,
            request.getString("model"),
            request.getBoolean("stream", false));
    if (parentCallId != null) {
      call.childOf(parentCallId);
    }
    call.ownedBy(owner);
    CallRecord record = new CallRecord(call, request);
    if (call.enabled()) {
      record.activity.received(Requests.lastUserText(request));
    }
    return record;
  }

  /** The call's record, or null when the request failed before it had one (e.g. malformed JSON). */
  public static CallRecord of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /**
   * The policy's verdict on the request: {@code {request}} or {@code {blocked}}, plus its emitted
   * events.
   */
  public void requestDecided(PolicyRequestReply policyReply) {
    if (!call.enabled()) {
      return;
    }
    Blocked blocked = policyReply.blocked();
    JsonObject finalRequest =
        policyReply.isBlocked() ? null : call.api.clientRequest(policyReply.request());
    recordRequest(finalRequest, blocked);
    policyEvents("request", policyReply.events());
    if (blocked != null) {
      activity.blocked(blocked);
    } else if (!originalRequest.equals(finalRequest)) {
      activity.requestChanged(ChangedFields.between(originalRequest, finalRequest));
    }
  }

  public void routedTo(String providerName) {
    call.routedTo(providerName);
  }

  public void policyEvents(String phase, List<PolicyEvent> events) {
    if (!call.enabled()) {
      return;
    }
    for (PolicyEvent event : events) {
      call.event(
          event.type(),
          new JsonObject()
              .put(Fields.PHASE, phase)
              .put(Fields.TIMESTAMP, event.timestamp().toString())
              .put(Fields.DATA, event.data()),
          CallLedger.policyEvent(event.type()));
      activity.policyEvent(event.type(), phase, event.data());
    }
  }

  /**
   * A whole (non-streamed) answer went out: {@code originalResponse} is the provider's, {@code
   * policyReply} holds the final response and events, both canonical; {@code answer} is the final
   * response as the client got it.
   */
  public void responded(
      JsonObject originalResponse, PolicyResponseReply policyReply, JsonObject answer) {
    if (!call.enabled()) {
      return;
    }
    policyEvents("response", policyReply.events());
    completed(originalResponse, policyReply.response(), answer);
  }

  /**
   * Both sides of the answer in the client's format, for a call whose client got the provider's own
   * answer (a Responses API backend's): recorded as they are rather than rebuilt from the canonical
   * answers.
   */
  public void answeredInClientFormat(JsonObject original, JsonObject delivered) {
    this.originalInClientFormat = original;
    this.deliveredInClientFormat = delivered;
  }

  public void originalChunk(JsonObject chunk) {
    if (call.enabled()) {
      if (streamed == null) {
        streamed = new StreamedAnswers();
      }
      streamed.original(chunk);
    }
  }

  /** A final chunk was written to the client. */
  public void finalChunk(JsonObject chunk) {
    if (call.enabled()) {
      streamed.delivered(chunk, activity);
    }
  }

  public void streamCompleted() {
    if (call.enabled() && streamed != null) {
      JsonObject delivered = streamed.deliveredResponse();
      completed(
          streamed.originalResponse(),
          delivered,
          deliveredInClientFormat != null ? deliveredInClientFormat : inClientFormat(delivered));
    }
  }

  /** The call ended in an error the client saw (or, mid-stream, an error event). */
  public void failed(ApiError error) {
    if (!call.enabled() || call.finished()) {
      return;
    }
    if (call.nothingRecorded()) {
      recordRequest(null, null);
    }
    call.event(
        Fields.EVENT_RESPONSE,
        new JsonObject()
            .put(
                Fields.ORIGINAL,
                streamed == null ? null : inClientFormat(streamed.originalResponse()))
            .put(
                Fields.FINAL,
                streamed == null ? null : inClientFormat(streamed.deliveredResponse()))
            .put(Fields.STATUS, error.status())
            .put(
                Fields.ERROR,
                new JsonObject()
                    .put(Fields.STATUS, error.status())
                    .put(Fields.TYPE, error.type())
                    .put("code", error.code())
                    .put(Fields.MESSAGE, error.message())),
        call.finish(error.status(), false));
    activity.failed(error);
  }

  public void clientLeft() {
    failed(
        new ApiError(
            CLIENT_CLOSED,
            "client_closed_request",
            "client_closed_request",
            null,
            "the client closed the connection before the answer was complete"));
  }

  /**
   * The request event always comes first (sequence 0), also when the call failed before the policy
   * answered.
   */
  private void recordRequest(JsonObject finalRequest, Blocked blocked) {
    JsonObject payload =
        new JsonObject().put(Fields.ORIGINAL, originalRequest).put(Fields.FINAL, finalRequest);
    if (blocked != null) {
      payload.put(Fields.BLOCKED, blocked.toJson());
    }
    call.event(
        Fields.EVENT_REQUEST,
        payload,
        blocked != null
            ? call.blocked(blocked.status())
            : call.began(finalRequest != null && !originalRequest.equals(finalRequest)));
  }

  /**
   * Both responses canonical, the final one also in the client's format; recorded in the client's
   * format.
   */
  private void completed(
      JsonObject originalResponse, JsonObject finalResponse, JsonObject finalInClientFormat) {
    if (call.finished()) {
      return;
    }
    boolean changed = !originalResponse.equals(finalResponse);
    call.event(
        Fields.EVENT_RESPONSE,
        new JsonObject()
            .put(
                Fields.ORIGINAL,
                originalInClientFormat != null
                    ? originalInClientFormat
                    : inClientFormat(originalResponse))
            .put(Fields.FINAL, finalInClientFormat)
            .put(Fields.STATUS, 200),
        call.finish(200, changed));
    if (changed) {
      activity.responseChanged();
    }
    activity.sent(Completions.finishReason(finalResponse), Completions.text(finalResponse));
  }

  private JsonObject inClientFormat(JsonObject canonicalResponse) {
    return call.api.clientResponse(canonicalResponse, call.model);
  }
}
