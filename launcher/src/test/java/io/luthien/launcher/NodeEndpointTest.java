package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.recorder.RecorderSettings;
import io.luthien.recorder.RecorderVerticle;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.LocalServices;
import io.luthien.shared.TcpGate;
import io.luthien.shared.telemetry.NodeTelemetry;
import io.luthien.shared.telemetry.TelemetrySettings;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeEndpointTest {

  private Vertx vertx;
  private WebClient client;
  private NodeTelemetry telemetry;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    if (telemetry != null) {
      telemetry.close();
    }
  }

  @Test
  @DisplayName(
      "/health is 503 'starting' until the roles are deployed, then 200 'up' with the node's roles")
  void healthFollowsDeployment() {
    NodeHealth health = new NodeHealth(EnumSet.of(Role.POLICY, Role.RECORDER));
    int port = deploy(true, health);

    HttpResponse<Buffer> starting = get(port, "/health");
    health.ready();
    HttpResponse<Buffer> up = get(port, "/health");

    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.bodyAsJsonObject().getString("status")).isEqualTo("starting");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject())
        .isEqualTo(new JsonObject("{\"status\":\"up\",\"roles\":[\"policy\",\"recorder\"]}"));
  }

  @Test
  @DisplayName("/metrics is served next to /health; other paths are 404 and other methods 405")
  void metricsNextToHealth() {
    int port = deploy(true, new NodeHealth(EnumSet.of(Role.GATEWAY)));
    telemetry
        .openTelemetry()
        .getMeter("test")
        .counterBuilder("luthien.endpoint.test")
        .build()
        .add(3);

    HttpResponse<Buffer> metrics = get(port, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString()).contains("luthien_endpoint_test_total 3");
    assertThat(get(port, "/other").statusCode()).isEqualTo(404);
    assertThat(await(client.post(port, "127.0.0.1", "/health").send()).statusCode()).isEqualTo(405);
  }

  @Test
  @DisplayName(
      "with telemetry off the node port still answers /health, and /metrics is a 404 saying why")
  void telemetryOff() {
    NodeHealth health = new NodeHealth(EnumSet.of(Role.POLICY));
    health.ready();
    int port = deploy(false, health);

    assertThat(get(port, "/health").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> metrics = get(port, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(metrics.bodyAsString()).contains("telemetry is off");
  }

  @Test
  @DisplayName(
      "while the recorder cannot write to PostgreSQL, /ready is 503 and says why, /health is 200 'degraded' with the recorder's state; both recover with the database")
  void readyFollowsTheRecorder() {
    TcpGate gate = await(TcpGate.toPostgres(vertx));
    NodeParts parts = new NodeParts();
    Deployable recorder = parts.remembering(Role.RECORDER, RecorderVerticle::new).get();
    await(
        vertx.deployVerticle(
            recorder,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("DATABASE_URL", gate.postgresUrl())
                        .put(RecorderSettings.RETRY_MIN_MS, "50")
                        .put(RecorderSettings.RETRY_MAX_MS, "200"))));
    NodeHealth health = new NodeHealth(EnumSet.of(Role.RECORDER));
    health.watching(parts);
    health.ready();
    int port = deploy(true, health);
    assertThat(get(port, "/ready").statusCode()).isEqualTo(200);

    gate.shut();
    UUID call = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      vertx
          .eventBus()
          .send(
              Addresses.RECORDER_EVENTS,
              new JsonObject()
                  .put(Fields.CALL_ID, call.toString())
                  .put(Fields.EVENT_TYPE, "policy.chunk")
                  .put(Fields.SEQUENCE, i)
                  .put(Fields.TIMESTAMP, Instant.now().toString())
                  .put(Fields.PAYLOAD, new JsonObject().put("n", i)));
    }
    HttpResponse<Buffer> notReady = poll(port, "/ready", 503);
    JsonObject state = notReady.bodyAsJsonObject();
    assertThat(state.getString("status")).isEqualTo("degraded");
    assertThat(state.getJsonArray("problems").getString(0))
        .startsWith("the recorder cannot write: the last ")
        .contains("writes to PostgreSQL failed");
    JsonObject recorderState = state.getJsonObject("recorder");
    assertThat(recorderState.getString("status")).isEqualTo("cannot_write");
    assertThat(recorderState.getInteger("consecutive_failed_writes")).isGreaterThanOrEqualTo(3);
    assertThat(recorderState.getInteger("queued_events")).isEqualTo(5);
    HttpResponse<Buffer> alive = get(port, "/health");
    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(alive.bodyAsJsonObject().getString("status")).isEqualTo("degraded");

    gate.reopen();
    JsonObject back = poll(port, "/ready", 200).bodyAsJsonObject();
    assertThat(back.getString("status")).isEqualTo("up");
    assertThat(back.containsKey("problems")).isFalse();
    assertThat(back.getJsonObject("recorder").getString("status")).isEqualTo("writing");
  }

  private HttpResponse<Buffer> poll(int port, String path, int status) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    HttpResponse<Buffer> response = get(port, path);
    while (response.statusCode() != status) {
      assertThat(System.nanoTime())
          .as("%s answers %d (last: %s)", path, status, response.bodyAsString())
          .isLessThan(deadline);
      LocalServices.sleep(50);
      response = get(port, path);
    }
    return response;
  }

  private int deploy(boolean telemetryOn, NodeHealth health) {
    JsonObject config =
        new JsonObject().put("METRICS_PORT", "0").put("OTEL_ENABLED", String.valueOf(telemetryOn));
    telemetry = NodeTelemetry.start(TelemetrySettings.from(config, "luthien-test"));
    NodeEndpoint endpoint = new NodeEndpoint(telemetry, health);
    await(vertx.deployVerticle(endpoint));
    return endpoint.actualPort();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return await(client.get(port, "127.0.0.1", path).send());
  }
}
