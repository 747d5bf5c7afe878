package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A deployed recorder and the gateway's side of its contract: fire-and-forget sends. */
final class RecorderFixture {

  final Vertx vertx;
  final RecorderVerticle recorder;
  final String deploymentId;

  private RecorderFixture(Vertx vertx, RecorderVerticle recorder, String deploymentId) {
    this.vertx = vertx;
    this.recorder = recorder;
    this.deploymentId = deploymentId;
  }

  static RecorderFixture start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, OpenTelemetry.noop());
  }

  static RecorderFixture start(Vertx vertx, JsonObject overrides, OpenTelemetry openTelemetry) {
    JsonObject config = new JsonObject().put("DATABASE_URL", TestDatabase.URL).mergeIn(overrides);
    RecorderVerticle recorder = new RecorderVerticle(openTelemetry);
    String id = await(vertx.deployVerticle(recorder, new DeploymentOptions().setConfig(config)));
    return new RecorderFixture(vertx, recorder, id);
  }

  static RecorderFixture start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }

  RecorderStats stats() {
    return recorder.stats();
  }

  void record(JsonObject event) {
    vertx.eventBus().send(Addresses.RECORDER_EVENTS, event, headers(event));
  }

  /** As a gateway sends it: with the call's trace, when {@code trace} holds a span. */
  void record(JsonObject event, Context trace) {
    vertx
        .eventBus()
        .send(
            Addresses.RECORDER_EVENTS,
            event,
            BusTrace.options(trace, event.getString(Fields.CALL_ID)));
  }

  void activity(JsonObject event) {
    vertx.eventBus().send(Addresses.ACTIVITY_EVENTS, event, headers(event));
  }

  void stop() {
    await(vertx.undeploy(deploymentId));
  }

  static JsonObject event(UUID callId, String type, int sequence) {
    return new JsonObject()
        .put(Fields.CALL_ID, callId.toString())
        .put(Fields.EVENT_TYPE, type)
        .put(Fields.SEQUENCE, sequence)
        .put(Fields.TIMESTAMP, Instant.now().toString())
        .put(Fields.PAYLOAD, new JsonObject().put("n", sequence));
  }

  static JsonObject activityEvent(UUID callId, String text) {
    return new JsonObject()
        .put(Fields.CALL_ID, callId.toString())
        .put(Fields.EVENT_TYPE, "request")
        .put(Fields.TIMESTAMP, Instant.now().toString())
        .put(Fields.DATA, new JsonObject().put(Fields.MODEL, "gpt-4o").put("preview", text));
  }

  static DeliveryOptions headers(JsonObject event) {
    Object callId = event.getValue(Fields.CALL_ID);
    return callId == null
        ? new DeliveryOptions()
        : new DeliveryOptions().addHeader(MessageHeaders.CALL_ID, callId.toString());
  }
}
