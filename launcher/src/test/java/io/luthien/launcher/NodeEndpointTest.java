package io.luthien.launcher;

import static io.luthien.launcher.NodeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.luthien.shared.telemetry.TelemetrySettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.EnumSet;
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
