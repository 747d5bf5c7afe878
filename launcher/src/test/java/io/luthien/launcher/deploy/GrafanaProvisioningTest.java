package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.launcher.deploy.DashboardQueries.Query;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana's provisioned datasources and dashboards: they parse, link to each other, and their
 * PromQL parses.
 */
class GrafanaProvisioningTest {

  private static final Set<String> DATASOURCES = Set.of("prometheus", "tempo", "loki");
  private static final Set<String> BUILT_IN =
      Set.of("-- Grafana --", "-- Mixed --", "-- Dashboard --", "grafana");

  @Test
  @DisplayName(
      "Prometheus, Tempo and Loki are provisioned and link traces, logs and metrics both ways")
  @SuppressWarnings("unchecked")
  void datasourcesLinkEachOther() {
    Map<String, Map<String, Object>> byUid = new HashMap<>();
    for (Map<String, Object> datasource :
        (List<Map<String, Object>>)
            RepoFiles.yaml("observability/grafana/provisioning/datasources/datasources.yaml")
                .get("datasources")) {
      byUid.put((String) datasource.get("uid"), datasource);
    }
    assertThat(byUid.keySet()).containsAll(DATASOURCES);
    assertThat(byUid.get("prometheus").get("url")).isEqualTo("http://prometheus:9090");
    assertThat(byUid.get("tempo").get("url")).isEqualTo("http://tempo:3200");
    assertThat(byUid.get("loki").get("url")).isEqualTo("http://loki:3100");

    JsonObject prometheus =
        new JsonObject((Map<String, Object>) byUid.get("prometheus").get("jsonData"));
    JsonObject tempo = new JsonObject((Map<String, Object>) byUid.get("tempo").get("jsonData"));
    JsonObject loki = new JsonObject((Map<String, Object>) byUid.get("loki").get("jsonData"));
    assertThat(
            prometheus
                .getJsonArray("exemplarTraceIdDestinations")
                .getJsonObject(0)
                .getString("datasourceUid"))
        .as("exemplars → traces")
        .isEqualTo("tempo");
    assertThat(tempo.getJsonObject("tracesToLogsV2").getString("datasourceUid"))
        .as("traces → logs")
        .isEqualTo("loki");
    assertThat(tempo.getJsonObject("tracesToMetrics").getString("datasourceUid"))
        .as("traces → metrics")
        .isEqualTo("prometheus");
    assertThat(tempo.getJsonObject("serviceMap").getString("datasourceUid"))
        .isEqualTo("prometheus");
    JsonArray derived = loki.getJsonArray("derivedFields");
    assertThat(derived).as("logs → traces").isNotEmpty();
    derived.forEach(
        field -> assertThat(((JsonObject) field).getString("datasourceUid")).isEqualTo("tempo"));
  }

  @Test
  @DisplayName("the dashboards provider loads the directory compose mounts the dashboards into")
  @SuppressWarnings("unchecked")
  void dashboardsAreProvisioned() {
    List<Map<String, Object>> providers =
        (List<Map<String, Object>>)
            RepoFiles.yaml("observability/grafana/provisioning/dashboards/dashboards.yaml")
                .get("providers");
    String path =
        String.valueOf(((Map<String, Object>) providers.get(0).get("options")).get("path"));

    assertThat(RepoFiles.read("docker-compose.yml"))
        .contains("./observability/grafana/dashboards:" + path);
  }

  @Test
  @DisplayName(
      "the four dashboards parse, have their fixed uids, unique panel ids, and use only provisioned datasources")
  void dashboardsAreWellFormed() {
    Set<String> uids = new HashSet<>();
    for (Path file : DashboardQueries.dashboards()) {
      JsonObject dashboard = RepoFiles.json(file);
      uids.add(dashboard.getString("uid"));
      assertThat(dashboard.getString("title")).as(file.toString()).isNotBlank();
      Set<Integer> ids = new HashSet<>();
      checkPanels(file.getFileName().toString(), dashboard.getJsonArray("panels"), ids);
    }
    assertThat(uids)
        .containsExactlyInAnyOrder(
            "luthien-overview", "luthien-policy", "luthien-recorder", "luthien-traces");
  }

  @Test
  @DisplayName(
      "the traces dashboard links each call's luthien.call_id to its diff in the debug page")
  void tracesLinkToTheDiff() throws IOException {
    String traces = Files.readString(RepoFiles.DASHBOARDS.resolve("traces.json"));

    assertThat(traces).contains("luthien.call_id").contains("/debug/diff?call_id=");
  }

  @Test
  @DisplayName(
      "every Prometheus expression of the dashboards and rules parses (promtool, Grafana variables filled)")
  void everyExpressionParses(@TempDir Path directory) throws IOException {
    List<Query> queries = new java.util.ArrayList<>(DashboardQueries.ofDashboards());
    assertThat(queries).hasSizeGreaterThan(20);
    StringBuilder rules =
        new StringBuilder("groups:\n  - name: dashboard-expressions\n    rules:\n");
    int n = 0;
    for (Query query : queries) {
      if (query.expr().isBlank()) {
        continue;
      }
      String expr = PromQlReferences.withoutGrafanaVariables(query.expr());
      rules
          .append("      - record: dashboard:expr_")
          .append(n++)
          .append("\n        expr: ")
          .append(new JsonObject().put("e", expr).encode().substring(5).replaceAll("}$", ""))
          .append("\n");
    }
    Path file = Files.writeString(directory.resolve("expressions.yml"), rules.toString());

    Tool.run("promtool", "check", "rules", file.toString()).requireSuccess();
  }

  private static void checkPanels(String dashboard, JsonArray panels, Set<Integer> ids) {
    if (panels == null) {
      return;
    }
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      assertThat(ids.add(panel.getInteger("id")))
          .as(dashboard + " duplicate panel id " + panel.getInteger("id"))
          .isTrue();
      assertThat(panel.getString("title"))
          .as(dashboard + " panel " + panel.getInteger("id") + " title")
          .isNotNull();
      checkDatasource(dashboard, panel.getValue("datasource"));
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        checkDatasource(dashboard, ((JsonObject) target).getValue("datasource"));
      }
      checkPanels(dashboard, panel.getJsonArray("panels"), ids);
    }
  }

  private static void checkDatasource(String dashboard, Object datasource) {
    String uid = DashboardQueries.uid(datasource, null);
    if (uid != null && !BUILT_IN.contains(uid)) {
      assertThat(DATASOURCES).as(dashboard + " datasource uid").contains(uid);
    }
  }
}
