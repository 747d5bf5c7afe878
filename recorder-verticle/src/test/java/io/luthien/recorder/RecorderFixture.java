package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.LogCapture;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.TcpGate;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

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

  /**
   * A recorder that reaches the machine's PostgreSQL through {@code gate}, so that the test can cut
   * it off by shutting the gate.
   */
  static RecorderFixture startBehind(TcpGate gate, Vertx vertx, JsonObject overrides) {
    return start(
        vertx, new JsonObject().put("DATABASE_URL", gate.postgresUrl()).mergeIn(overrides));
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

  /** Records a request for {@code call} and waits until it is written: the recorder can write. */
  void recordFirstEvent(UUID call) {
    record(event(call, Fields.EVENT_REQUEST, 0));
    untilWritten(1);
  }

  /**
   * Records {@code count} chunks with sequences from {@code firstSequence} on, each to the next of
   * {@code calls} in turn (sequence modulo their number).
   */
  void recordChunks(List<UUID> calls, int firstSequence, int count) {
    for (int sequence = firstSequence; sequence < firstSequence + count; sequence++) {
      record(event(calls.get(sequence % calls.size()), "policy.chunk", sequence));
    }
  }

  /** Waits until {@code events} events in all have been written. */
  void untilWritten(int events) {
    until(
        Duration.ofSeconds(15),
        events + " events written",
        () -> stats().writtenEvents() == events);
  }

  /** Waits until exactly {@code events} events wait in the buffer. */
  void untilQueued(int events) {
    until(Duration.ofSeconds(5), events + " events queued", () -> stats().queueSize() == events);
  }

  void activity(JsonObject event) {
    vertx.eventBus().send(Addresses.ACTIVITY_EVENTS, event, headers(event));
  }

  void stop() {
    await(vertx.undeploy(deploymentId));
  }

  static List<UUID> callIds(int count) {
    return IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
  }

  /**
   * {@link BatchWriter} logged an outage once, not per failed write: one warning when writes began
   * to fail, one line when they succeeded again after {@code waited} events had waited.
   */
  static void assertOutageLoggedOnce(LogCapture logs, int waited) {
    assertThat(logs.lines(Level.WARN))
        .singleElement()
        .asString()
        .contains("cannot write to PostgreSQL");
    assertThat(logs.lines(Level.INFO))
        .singleElement()
        .asString()
        .contains(waited + " events had waited");
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
