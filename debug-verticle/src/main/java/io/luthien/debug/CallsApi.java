package io.luthien.debug;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /debug/calls}, {@code /debug/calls/:call_id} and {@code /debug/calls/:call_id/diff}.
 */
final class CallsApi {

  private final CallStore store;
  private final DebugSettings settings;

  CallsApi(CallStore store, DebugSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  void list(RoutingContext ctx) {
    CallsFilter filter = CallsFilter.parse(ctx.queryParams());
    store.list(filter).onSuccess(page -> ctx.json(page.toJson())).onFailure(ctx::fail);
  }

  void call(RoutingContext ctx) {
    UUID callId = CallIdFormat.parse(ctx.pathParam("call_id"), "call_id");
    recorded(callId)
        .map(
            recorded ->
                recorded
                    .call()
                    .copy()
                    .put("events", recorded.events())
                    .put("trace_url", settings.traceUrl(callId.toString())))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void diff(RoutingContext ctx) {
    UUID callId = CallIdFormat.parse(ctx.pathParam("call_id"), "call_id");
    recorded(callId)
        .map(
            recorded ->
                CallDiff.compute(recorded.payload("request"), recorded.payload("response"))
                    .put("truncated", recorded.truncation())
                    .put("call_id", callId.toString())
                    .put("call", recorded.call())
                    .put("trace_url", settings.traceUrl(callId.toString())))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private Future<Recorded> recorded(UUID callId) {
    return store
        .call(callId)
        .compose(
            call -> {
              if (call.isEmpty()) {
                return Future.failedFuture(DebugError.notFound("no recorded call " + callId));
              }
              return store.events(callId).map(events -> new Recorded(call.get(), events));
            });
  }

  private record Recorded(JsonObject call, JsonArray events) {

    /** The payload of the call's first event of this type, or null when it was not recorded. */
    JsonObject payload(String eventType) {
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        if (eventType.equals(event.getString("event_type"))) {
          return event.getJsonObject("payload");
        }
      }
      return null;
    }

    /**
     * Whether that payload was too big to be kept whole: stored or read back as {@code {truncated:
     * true, original_bytes, preview}}, which the diff then shows as neither original nor final.
     */
    boolean truncated(String eventType) {
      JsonObject payload = payload(eventType);
      return payload != null && Boolean.TRUE.equals(payload.getValue("truncated"));
    }

    /**
     * {@code {request, response}} flags, and for a truncated side its {@code <side>_bytes} (the
     * whole payload's size) and {@code <side>_preview} (the start of its JSON text).
     */
    JsonObject truncation() {
      JsonObject truncation = new JsonObject();
      for (String side : new String[] {"request", "response"}) {
        boolean truncated = truncated(side);
        truncation.put(side, truncated);
        if (truncated) {
          JsonObject marker = payload(side);
          truncation
              .put(side + "_bytes", marker.getValue("original_bytes"))
              .put(side + "_preview", marker.getValue("preview"));
        }
      }
      return truncation;
    }
  }
}
