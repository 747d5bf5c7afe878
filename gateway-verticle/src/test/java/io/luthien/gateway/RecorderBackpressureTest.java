package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.RecorderPressure;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** New calls wait while a recorder says it is behind ({@code recorder.pressure}). */
class RecorderBackpressureTest {

  private final TestTelemetry telemetry = TestTelemetry.start();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    await(vertx.close());
    telemetry.close();
  }

  @Test
  @DisplayName(
      "a call made while a recorder is behind waits until it has caught up, then is answered; the hold is measured")
  void heldUntilCaughtUp() throws Exception {
    GatewayFixture gateway = start(new JsonObject());
    assertThat(await(chat(gateway)).statusCode()).as("a first call, not held").isEqualTo(200);
    say("recorder-1", true);
    awaitDelivery();

    Future<HttpResponse<Buffer>> held = chat(gateway);
    Thread.sleep(400);
    assertThat(held.isComplete()).as("answered while the recorder is behind").isFalse();
    say("recorder-1", false);

    assertThat(await(held).statusCode()).isEqualTo(200);
    HistogramPointData holds =
        telemetry
            .metric(MetricNames.RECORDER_HOLD_DURATION)
            .orElseThrow()
            .getHistogramData()
            .getPoints()
            .iterator()
            .next();
    assertThat(holds.getCount()).isEqualTo(1);
    assertThat(holds.getMax()).as("seconds held").isGreaterThan(0.3);
  }

  @Test
  @DisplayName(
      "with two recorders behind, calls wait for both; a call waits RECORDER_HOLD_MAX_MS at most")
  void waitsForEveryRecorderAndAtMostTheMaximum() throws Exception {
    GatewayFixture gateway = start(new JsonObject().put("RECORDER_HOLD_MAX_MS", "800"));
    say("recorder-1", true);
    say("recorder-2", true);
    awaitDelivery();
    say("recorder-1", false);

    long started = System.nanoTime();
    HttpResponse<Buffer> answer = await(chat(gateway));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(waitedMillis).isGreaterThanOrEqualTo(700);
  }

  @Test
  @DisplayName(
      "a recorder that stops saying it is behind (it stopped or died) is forgotten after three seconds")
  void silentRecorderForgotten() throws Exception {
    GatewayFixture gateway = start(new JsonObject());
    say("recorder-gone", true);
    awaitDelivery();

    long started = System.nanoTime();
    HttpResponse<Buffer> answer = await(chat(gateway));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(waitedMillis).isBetween(1_500L, 10_000L);
  }

  @Test
  @DisplayName(
      "nothing is held with RECORDER_HOLD_MAX_MS=0 or with recording off; a malformed pressure message is ignored")
  void neverHeld() throws Exception {
    GatewayFixture noHold = start(new JsonObject().put("RECORDER_HOLD_MAX_MS", "0"));
    GatewayFixture unrecorded = start(new JsonObject().put("RECORDING_ENABLED", "false"));
    vertx.eventBus().publish(Addresses.RECORDER_PRESSURE, new JsonObject().put("behind", "yes"));
    say("recorder-1", true);
    Thread.sleep(100);

    for (GatewayFixture gateway : new GatewayFixture[] {noHold, unrecorded}) {
      long started = System.nanoTime();
      assertThat(await(chat(gateway)).statusCode()).isEqualTo(200);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
    }
  }

  private GatewayFixture start(JsonObject config) {
    return GatewayFixture.start(vertx, TestPolicyNode.Mode.PASS, config, telemetry.openTelemetry());
  }

  private void say(String recorder, boolean behind) {
    vertx
        .eventBus()
        .publish(
            Addresses.RECORDER_PRESSURE,
            new RecorderPressure(recorder, behind, behind ? 60 : 20).toJson());
  }

  /** A published message reaches the gateway's event loop asynchronously: give it the time. */
  private static void awaitDelivery() throws InterruptedException {
    Thread.sleep(100);
  }

  private static Future<HttpResponse<Buffer>> chat(GatewayFixture gateway) {
    return gateway
        .request(HttpMethod.POST, "/v1/chat/completions")
        .sendJsonObject(GatewayFixture.chat("gpt-4o", "hello"));
  }
}
