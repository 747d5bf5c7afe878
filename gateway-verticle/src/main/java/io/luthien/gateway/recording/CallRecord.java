package io.luthien.gateway.recording;

import io.luthien.gateway.api.ClientApi;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.upstream.ChatText;
import io.luthien.shared.Fields;
import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Everything one call records: the {@code request} event (original and final request), the policy's emitted
 * {@code policy.*} events, the {@code response} event (original and final response; for streams, rebuilt from
 * the chunks on both sides), and live activity for each step. Sequence numbers count from 0 per call, which
 * makes (call_id, event_type, sequence) the recorder's idempotent key. Requests and responses are recorded in
 * the client's format (its {@link ClientApi}), whatever format the provider spoke. Lives on the call's event loop.
 */
public final class CallRecord {

  private static final String KEY = "luthien.call_record";
  private static final long PREVIEW_INTERVAL_NANOS = 100_000_000L;
  /** nginx's convention for "the client closed the connection before the answer". */
  public static final int CLIENT_CLOSED = 499;

  private final CallRecorder out;
  private final Context trace;
  private final String callId;
  private final ClientApi api;
  private final JsonObject originalRequest;
  private final String model;
  private final boolean stream;
  private final long startedNanos = System.nanoTime();
  private int nextSequence;
  private String provider;
  private boolean finished;
  private StreamReconstructor originalChunks;
  private StreamReconstructor finalChunks;
  private int chunksSinceStart;
  private long lastPreviewNanos;
  private final StringBuilder unpreviewedText = new StringBuilder();

  private CallRecord(CallRecorder out, Context trace, String callId, ClientApi api, JsonObject originalRequest) {
    this.out = out;
    this.trace = trace;
    this.callId = callId;
    this.api = api;
    this.originalRequest = originalRequest;
    this.model = originalRequest.getString("model");
    this.stream = originalRequest.getBoolean("stream", false);
  }

  /** Starts the call's record and keeps it on the routing context, where the failure handler finds it. */
  /** {@code request} is the client's own, as it sent it. */
  public static CallRecord begin(RoutingContext ctx, CallRecorder out, String callId, ClientApi api, JsonObject request) {
    CallRecord record = new CallRecord(out, CallTrace.of(ctx).context(), callId, api, request);
    ctx.put(KEY, record);
    if (out.enabled()) {
      out.activity(record.trace, callId, "request.received", record.activityData()
          .put(Fields.API, api.name())
          .put(Fields.STREAM, record.stream)
          .put("preview", CallRecorder.preview(ChatText.lastUserText(request))));
    }
    return record;
  }

  /** The call's record, or null when the request failed before it had one (e.g. malformed JSON). */
  public static CallRecord of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The policy's verdict on the request: {@code {request}} or {@code {blocked}}, plus its emitted events. */
  public void requestDecided(JsonObject policyReply) {
    if (!out.enabled()) {
      return;
    }
    JsonObject blocked = policyReply.getJsonObject(Fields.BLOCKED);
    JsonObject canonicalRequest = policyReply.getJsonObject(Fields.REQUEST);
    JsonObject finalRequest = canonicalRequest == null ? null : api.clientRequest(canonicalRequest);
    recordRequest(finalRequest, blocked);
    policyEvents("request", policyReply.getJsonArray(Fields.EVENTS));
    if (blocked != null) {
      out.activity(trace, callId, "request.blocked", activityData()
          .put(Fields.STATUS, blocked.getInteger(Fields.STATUS, 403))
          .put(Fields.MESSAGE, blocked.getString(Fields.MESSAGE)));
    } else if (!originalRequest.equals(finalRequest)) {
      out.activity(trace, callId, "request.changed", activityData().put("fields", changedFields(originalRequest, finalRequest)));
    }
  }

  /** The request event always comes first (sequence 0), also when the call failed before the policy answered. */
  private void recordRequest(JsonObject finalRequest, JsonObject blocked) {
    JsonObject payload = new JsonObject().put(Fields.ORIGINAL, originalRequest).put(Fields.FINAL, finalRequest);
    JsonObject call = new JsonObject()
        .put(Fields.MODEL, model)
        .put(Fields.API, api.name())
        .put(Fields.STREAM, stream)
        .put(Fields.CREATED_AT, Instant.now().toString());
    if (blocked != null) {
      payload.put(Fields.BLOCKED, blocked);
      finished = true;
      call.put(Fields.STATUS, blocked.getInteger(Fields.STATUS, 403)).put(Fields.COMPLETED_AT, Instant.now().toString());
    }
    out.event(trace, callId, Fields.EVENT_REQUEST, nextSequence++, payload, call);
  }

  public void routedTo(String providerName) {
    this.provider = providerName;
  }

  public void policyEvents(String phase, JsonArray events) {
    if (!out.enabled() || events == null) {
      return;
    }
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      String type = event.getString(Fields.TYPE);
      out.event(trace, callId, type, nextSequence++, new JsonObject()
          .put(Fields.PHASE, phase)
          .put(Fields.TIMESTAMP, event.getString(Fields.TIMESTAMP))
          .put(Fields.DATA, event.getJsonObject(Fields.DATA)), null);
      out.activity(trace, callId, type, activityData().put(Fields.PHASE, phase).put(Fields.DATA, event.getJsonObject(Fields.DATA)));
    }
  }

  /**
   * A whole (non-streamed) answer went out: {@code originalResponse} is the provider's, {@code policyReply} holds
   * the final response and events, both canonical; {@code answer} is the final response as the client got it.
   */
  public void responded(JsonObject originalResponse, JsonObject policyReply, JsonObject answer) {
    if (!out.enabled()) {
      return;
    }
    policyEvents("response", policyReply.getJsonArray(Fields.EVENTS));
    completed(originalResponse, policyReply.getJsonObject(Fields.RESPONSE), answer);
  }

  public void originalChunk(JsonObject chunk) {
    if (out.enabled()) {
      if (originalChunks == null) {
        originalChunks = new StreamReconstructor();
        finalChunks = new StreamReconstructor();
      }
      originalChunks.add(chunk);
    }
  }

  /** A final chunk was written to the client; a preview goes to the live feed at most every 100 ms. */
  public void finalChunk(JsonObject chunk) {
    if (!out.enabled()) {
      return;
    }
    finalChunks.add(chunk);
    chunksSinceStart++;
    JsonArray choices = chunk.getJsonArray("choices");
    JsonObject delta = choices == null || choices.isEmpty() ? null : choices.getJsonObject(0).getJsonObject("delta");
    if (delta != null && delta.getValue("content") instanceof String text) {
      unpreviewedText.append(text);
    }
    long now = System.nanoTime();
    if (now - lastPreviewNanos >= PREVIEW_INTERVAL_NANOS && !unpreviewedText.isEmpty()) {
      lastPreviewNanos = now;
      out.untracedActivity(callId, "stream.chunk", activityData()
          .put("preview", CallRecorder.preview(unpreviewedText.toString()))
          .put("chunks", chunksSinceStart));
      unpreviewedText.setLength(0);
    }
  }

  public void streamCompleted() {
    if (out.enabled() && originalChunks != null) {
      JsonObject finalResponse = finalChunks.result();
      completed(originalChunks.result(), finalResponse, inClientFormat(finalResponse));
    }
  }

  /** The call ended in an error the client saw (or, mid-stream, an error event). */
  public void failed(ApiError error) {
    if (!out.enabled() || finished) {
      return;
    }
    if (nextSequence == 0) {
      recordRequest(null, null);
    }
    finish(error.status(), new JsonObject()
        .put(Fields.ORIGINAL, originalChunks == null ? null : inClientFormat(originalChunks.result()))
        .put(Fields.FINAL, finalChunks == null ? null : inClientFormat(finalChunks.result()))
        .put(Fields.STATUS, error.status())
        .put(Fields.ERROR, new JsonObject()
            .put(Fields.STATUS, error.status())
            .put(Fields.TYPE, error.type())
            .put("code", error.code())
            .put(Fields.MESSAGE, error.message())));
    out.activity(trace, callId, "request.failed", activityData()
        .put(Fields.STATUS, error.status())
        .put(Fields.TYPE, error.code() != null ? error.code() : error.type())
        .put(Fields.MESSAGE, error.message())
        .put("duration_ms", elapsedMillis()));
  }

  public void clientLeft() {
    failed(new ApiError(CLIENT_CLOSED, "client_closed_request", "client_closed_request", null,
        "the client closed the connection before the answer was complete"));
  }

  /** Both responses canonical, the final one also in the client's format; recorded in the client's format. */
  private void completed(JsonObject originalResponse, JsonObject finalResponse, JsonObject finalInClientFormat) {
    if (finished) {
      return;
    }
    finish(200, new JsonObject()
        .put(Fields.ORIGINAL, inClientFormat(originalResponse))
        .put(Fields.FINAL, finalInClientFormat)
        .put(Fields.STATUS, 200));
    if (!originalResponse.equals(finalResponse)) {
      out.activity(trace, callId, "response.changed", activityData());
    }
    JsonObject choice = firstChoice(finalResponse);
    JsonObject message = choice == null ? null : choice.getJsonObject("message");
    out.activity(trace, callId, "response.sent", activityData()
        .put(Fields.STATUS, 200)
        .put(Fields.STREAM, stream)
        .put("duration_ms", elapsedMillis())
        .put("finish_reason", choice == null ? null : choice.getString("finish_reason"))
        .put("preview", message != null && message.getValue("content") instanceof String text
            ? CallRecorder.preview(text) : null));
  }

  private void finish(int status, JsonObject responsePayload) {
    finished = true;
    out.event(trace, callId, Fields.EVENT_RESPONSE, nextSequence++, responsePayload, new JsonObject()
        .put(Fields.MODEL, model)
        .put(Fields.PROVIDER, provider)
        .put(Fields.API, api.name())
        .put(Fields.STREAM, stream)
        .put(Fields.STATUS, status)
        .put(Fields.COMPLETED_AT, Instant.now().toString()));
  }

  private JsonObject inClientFormat(JsonObject canonicalResponse) {
    return api.clientResponse(canonicalResponse, model);
  }

  private JsonObject activityData() {
    return new JsonObject().put(Fields.MODEL, model);
  }

  private long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static JsonObject firstChoice(JsonObject response) {
    JsonArray choices = response == null ? null : response.getJsonArray("choices");
    return choices == null || choices.isEmpty() ? null : choices.getJsonObject(0);
  }

  private static JsonArray changedFields(JsonObject original, JsonObject changed) {
    JsonArray fields = new JsonArray();
    for (String name : original.fieldNames()) {
      if (!java.util.Objects.equals(original.getValue(name), changed.getValue(name))) {
        fields.add(name);
      }
    }
    for (String name : changed.fieldNames()) {
      if (!original.containsKey(name)) {
        fields.add(name);
      }
    }
    return fields;
  }
}
