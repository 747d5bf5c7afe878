package io.luthien.launcher.telemetry;

import static io.luthien.launcher.telemetry.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code OTEL_ENABLED=false} is the one switch that turns telemetry off, even with an OTLP endpoint
 * configured: calls still work, nothing is exported, {@code /metrics} is not served and no exporter
 * thread runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryOffIT {

  private static final String MODEL = "gpt-off-test";

  private Vertx vertx;
  private OtlpReceiver receiver;
  private NodeProcess node;

  @BeforeAll
  void startNode() throws IOException {
    vertx = Vertx.vertx();
    receiver = await(OtlpReceiver.start(vertx));
    FakeUpstream upstream = await(FakeUpstream.start(vertx)).streamChunks(3, 0);
    node =
        NodeProcess.start(
            "telemetry-off",
            Map.of(
                "OTEL_ENABLED", "false",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_METRIC_EXPORT_INTERVAL", "500",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "OTEL_BLRP_SCHEDULE_DELAY", "100",
                "OPENAI_BASE_URL", upstream.baseUrl(),
                "OPENAI_API_KEY", "sk-off-test"));
  }

  @AfterAll
  void stop() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "completions, whole and streamed, are answered, and the OTLP endpoint receives nothing")
  void callsWorkAndNothingIsExported() {
    HttpResponse<String> whole = node.chat(MODEL, "no telemetry please", false);
    HttpResponse<String> streamed = node.chat(MODEL, "no telemetry please", true);

    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    assertThat(streamed.body()).contains("data: [DONE]");
    assertThat(whole.headers().firstValue("X-Call-ID")).isPresent();
    // six metric export intervals, thirty batch delays: anything the node would send has been sent
    // by now
    LocalServices.sleep(3000);
    assertThat(receiver.requestCount()).as("requests that reached the OTLP receiver").isZero();
  }

  @Test
  @DisplayName("the node port serves no /metrics, only /health")
  void metricsAreNotServed() throws IOException {
    HttpResponse<String> metrics = node.get(node.metricsPort(), "/metrics");
    HttpResponse<String> health = node.get(node.metricsPort(), "/health");

    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(metrics.body()).contains("telemetry is off");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("up");
  }

  @Test
  @DisplayName(
      "the node's JVM runs no exporter thread (no batch processor, metric reader or OkHttp sender)")
  void noExporterThreads() {
    node.chat(MODEL, "a call before the thread dump", false);
    String threads = node.threadDump();

    assertThat(threads).as("a real thread dump").contains("vert.x-eventloop-thread");
    assertThat(TelemetryThreads.namesIn(threads)).as(threads).isEmpty();
  }
}
