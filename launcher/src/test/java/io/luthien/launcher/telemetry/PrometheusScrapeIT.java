package io.luthien.launcher.telemetry;

import static io.luthien.launcher.telemetry.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Prometheus (Debian's 2.42) scrapes the fat jar's {@code /metrics} every second,
 * negotiating the format as it does in production (OpenMetrics first), and PromQL over what it
 * stored counts exactly the calls made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeIT {

  private static final Duration SCRAPED = Duration.ofSeconds(20);
  private static final String MODEL = "gpt-scrape-test";
  private static final int WHOLE = 3;
  private static final int STREAMED = 2;

  private Vertx vertx;
  private NodeProcess node;
  private PrometheusServer prometheus;

  @BeforeAll
  void start() throws IOException {
    vertx = Vertx.vertx();
    FakeUpstream upstream = await(FakeUpstream.start(vertx)).streamChunks(3, 0);
    node =
        NodeProcess.start(
            "prometheus-scrape",
            Map.of("OPENAI_BASE_URL", upstream.baseUrl(), "OPENAI_API_KEY", "sk-scrape-test"));
    prometheus =
        PrometheusServer.start(
            NodeProcess.itDirectory().resolve("prometheus-scrape").resolve("prometheus"),
            node.metricsPort());
  }

  @AfterAll
  void stop() {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      try {
        if (node != null) {
          node.close();
        }
      } finally {
        await(vertx.close());
      }
    }
  }

  @Test
  @DisplayName(
      "after N completions, PromQL over the scraped request durations and upstream call durations counts N")
  void scrapedCountsMatchTheCalls() {
    Waits.until(
        "Prometheus scrapes the node successfully (up == 1)",
        SCRAPED,
        () ->
            Double.valueOf(1).equals(prometheus.scalar("up{job=\"" + PrometheusServer.JOB + "\"}")),
        prometheus::targets);

    for (int i = 0; i < WHOLE + STREAMED; i++) {
      HttpResponse<String> response = node.chat(MODEL, "count me " + i, i >= WHOLE);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    int calls = WHOLE + STREAMED;
    String requests =
        "sum(http_server_request_duration_seconds_count{http_route=\"/v1/chat/completions\"})";
    Waits.until(
        requests + " == " + calls,
        SCRAPED,
        () -> Double.valueOf(calls).equals(prometheus.scalar(requests)),
        () -> prometheus.query(requests) + " targets " + prometheus.targets());
    String upstreamCalls = "sum(gen_ai_client_operation_duration_seconds_count)";
    Waits.until(
        upstreamCalls + " == " + calls,
        SCRAPED,
        () -> Double.valueOf(calls).equals(prometheus.scalar(upstreamCalls)),
        () -> prometheus.query(upstreamCalls));

    assertThat(
            prometheus.query(
                "http_server_request_duration_seconds_count{http_route=\"/v1/chat/completions\"}"))
        .as("the request duration's labels")
        .isNotEmpty()
        .allSatisfy(
            series ->
                assertThat(((JsonObject) series).getJsonObject("metric").getMap())
                    .containsEntry("http_request_method", "POST")
                    .containsEntry("http_response_status_code", "200"));
  }
}
