package io.luthien.launcher.deploy;

import static io.luthien.launcher.telemetry.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.launcher.deploy.DashboardQueries.Query;
import io.luthien.launcher.telemetry.NodeProcess;
import io.luthien.launcher.telemetry.Waits;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules against the metrics the code really exposes: the fat jar runs
 * every role with real PostgreSQL and Redis, answers whole, streamed and failing calls, and its
 * {@code /metrics} is scraped. A panel or rule naming a metric or label that the scrape lacks is
 * drift, and fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardMetricsIT {

  /** Made by Prometheus itself, or labels it adds to every scraped series. */
  private static final Set<String> PROMETHEUS_METRICS = Set.of("up");

  private static final Set<String> PROMETHEUS_LABELS = Set.of("job", "instance", "le", "__name__");

  private Vertx vertx;
  private NodeProcess node;
  private ScrapedMetrics scraped;

  @BeforeAll
  void scrapeAfterTraffic() throws IOException {
    vertx = Vertx.vertx();
    FakeUpstream upstream = await(FakeUpstream.start(vertx)).streamChunks(3, 0);
    node =
        NodeProcess.start(
            "dashboard-metrics",
            Map.of(
                "OPENAI_BASE_URL",
                upstream.baseUrl(),
                "OPENAI_API_KEY",
                "sk-dashboard-test",
                "POLICY_CONFIG",
                RepoFiles.path("config/policy.allcaps.yaml").toString()));
    for (boolean stream : List.of(false, true)) {
      assertThat(node.chat("gpt-dashboards", "hello", stream).statusCode()).isEqualTo(200);
      assertThat(node.chat("mock", "hello", stream).statusCode()).isEqualTo(200);
    }
    upstream.failWith(500, "{\"error\":{\"message\":\"down\"}}");
    assertThat(node.chat("gpt-dashboards", "fails", false).statusCode())
        .isGreaterThanOrEqualTo(500);
    Waits.until(
        "the recorder wrote a batch",
        Duration.ofSeconds(20),
        () -> scrape().has("luthien_recorder_write_duration_seconds_count"),
        () -> scrape().names());
    scraped = scrape();
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
      "every metric a dashboard panel or variable queries is in the scrape, with the labels it uses")
  void dashboardsQueryExposedMetrics() {
    List<Query> queries = DashboardQueries.ofDashboards();

    assertThat(queries).isNotEmpty();
    assertThat(drift(queries))
        .as("dashboard queries naming what the node does not expose")
        .isEmpty();
  }

  @Test
  @DisplayName(
      "every metric an alert or recording rule uses is in the scrape (or is another rule's record)")
  void rulesUseExposedMetrics() {
    List<Query> queries = DashboardQueries.ofRules();

    assertThat(queries).isNotEmpty();
    assertThat(drift(queries))
        .as("rule expressions naming what the node does not expose")
        .isEmpty();
  }

  @Test
  @DisplayName("the drift check itself catches a renamed metric and an unknown label")
  void driftIsCaught() {
    List<Query> wrong =
        List.of(
            new Query("probe", "rate(http_server_requests_total[5m])", null),
            new Query(
                "probe",
                "sum by (model) (rate(http_server_request_duration_seconds_count[5m]))",
                null));

    assertThat(drift(wrong)).hasSize(2);
  }

  private List<String> drift(List<Query> queries) {
    Set<String> recorded = new HashSet<>(DashboardQueries.recordedNames());
    List<String> problems = new ArrayList<>();
    for (Query query : queries) {
      PromQlReferences refs =
          PromQlReferences.of(PromQlReferences.withoutGrafanaVariables(query.expr()));
      Set<String> knownLabels = new HashSet<>(PROMETHEUS_LABELS);
      boolean usesRecords = false;
      for (String metric : refs.metrics()) {
        if (recorded.contains(metric)) {
          usesRecords = true;
        } else if (scraped.has(metric)) {
          knownLabels.addAll(scraped.labelsOf(metric));
        } else if (!PROMETHEUS_METRICS.contains(metric)) {
          problems.add(query.source() + ": metric " + metric + " is not exposed");
        }
      }
      Set<String> labels = new HashSet<>(refs.labels());
      if (query.label() != null) {
        labels.add(query.label());
      }
      if (!usesRecords) {
        labels.stream()
            .filter(label -> !knownLabels.contains(label))
            .forEach(
                label ->
                    problems.add(
                        query.source() + ": label " + label + " is on none of " + refs.metrics()));
      }
    }
    return problems;
  }

  private ScrapedMetrics scrape() {
    try {
      HttpResponse<String> response = node.get(node.metricsPort(), "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      return ScrapedMetrics.parse(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
