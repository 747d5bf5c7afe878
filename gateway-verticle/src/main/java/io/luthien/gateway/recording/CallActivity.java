package io.luthien.gateway.recording;

import io.luthien.gateway.error.ApiError;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.Blocked;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The live feed's view of one call: small events with previews, never whole payloads, each with the
 * call's model and, when it has one, its session (so a page can follow one agent session).
 */
final class CallActivity {

  private final CallLedger call;

  CallActivity(CallLedger call) {
    this.call = call;
  }

  void received(String preview) {
    send(
        "request.received",
        data()
            .put(Fields.API, call.api.name())
            .put(Fields.STREAM, call.stream)
            .put("preview", CallRecorder.preview(preview)));
  }

  void blocked(Blocked blocked) {
    send(
        "request.blocked",
        data().put(Fields.STATUS, blocked.status()).put(Fields.MESSAGE, blocked.message()));
  }

  void requestChanged(JsonArray fields) {
    send("request.changed", data().put("fields", fields));
  }

  void policyEvent(String type, String phase, JsonObject eventData) {
    send(type, data().put(Fields.PHASE, phase).put(Fields.DATA, eventData));
  }

  void responseChanged() {
    send("response.changed", data());
  }

  void sent(String finishReason, String preview) {
    send(
        "response.sent",
        data()
            .put(Fields.STATUS, 200)
            .put(Fields.STREAM, call.stream)
            .put("duration_ms", call.elapsedMillis())
            .put("finish_reason", finishReason)
            .put("preview", CallRecorder.preview(preview)));
  }

  void failed(ApiError error) {
    send(
        "request.failed",
        data()
            .put(Fields.STATUS, error.status())
            .put(Fields.TYPE, error.code() != null ? error.code() : error.type())
            .put(Fields.MESSAGE, error.message())
            .put("duration_ms", call.elapsedMillis()));
  }

  /** A stream's progress. */
  void streamPreview(String text, int chunks) {
    call.out.activity(
        call.callId,
        "stream.chunk",
        data().put("preview", CallRecorder.preview(text)).put("chunks", chunks));
  }

  private void send(String type, JsonObject data) {
    call.out.activity(call.callId, type, data);
  }

  private JsonObject data() {
    JsonObject data = new JsonObject().put(Fields.MODEL, call.model);
    if (call.sessionId() != null) {
      data.put(Fields.SESSION_ID, call.sessionId());
    }
    return data;
  }
}
