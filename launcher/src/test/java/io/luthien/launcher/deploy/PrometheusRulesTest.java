package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.telemetry.TelemetrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus' configuration, alert rules and their unit tests, checked by Debian's promtool. */
class PrometheusRulesTest {

  /**
   * The repository's files as GitHub shows them; the runbooks are the alert headings of the
   * deployment page.
   */
  private static final String REPOSITORY_URL =
      "https://github.com/luthien/luthien-vertx/blob/main/";

  private static final String RUNBOOKS_URL = REPOSITORY_URL + "docs/deployment.md#";

  private static final List<String> NODE_JOBS =
      List.of("luthien-gateway", "luthien-policy", "luthien-recorder", "luthien-debug");

  @Test
  @DisplayName("promtool check config accepts prometheus.yml with the repository's rule files")
  void configIsValid(@TempDir Path directory) throws IOException {
    String config =
        RepoFiles.read("observability/prometheus/prometheus.yml")
            .replace("/etc/prometheus/rules/", RepoFiles.ALERT_RULES + "/")
            // Prometheus 3's OTLP block is unknown to Debian's promtool 2.42
            .replaceAll("(?ms)^otlp:.*?(?=^\\S|\\z)", "");
    Path copy = Files.writeString(directory.resolve("prometheus.yml"), config);

    String output =
        Tool.run("promtool", "check", "config", copy.toString()).requireSuccess().output();
    assertThat(output).contains("SUCCESS");
    assertThat(output)
        .as("the rule files were found and checked")
        .containsPattern("SUCCESS: [1-9][0-9]* rules found");
  }

  @Test
  @DisplayName("promtool check rules and promtool test rules pass")
  void rulesAndTheirTests() {
    for (Path rules : RepoFiles.filesIn(RepoFiles.ALERT_RULES, ".yml")) {
      Tool.run("promtool", "check", "rules", rules.toString()).requireSuccess();
    }
    List<Path> tests =
        RepoFiles.filesIn(RepoFiles.OBSERVABILITY.resolve("prometheus/tests"), ".yml");
    assertThat(tests).isNotEmpty();
    for (Path test : tests) {
      String output =
          Tool.run("promtool", "test", "rules", test.toString()).requireSuccess().output();
      assertThat(output).contains("SUCCESS");
    }
  }

  @Test
  @DisplayName(
      "every alert fires in at least one unit test, and has a severity, a summary, a description and a runbook")
  @SuppressWarnings("unchecked")
  void everyAlertIsTestedAndDescribed() {
    Set<String> alerts = new TreeSet<>();
    for (Map<String, Object> rule : alertingRules()) {
      String name = (String) rule.get("alert");
      alerts.add(name);
      assertThat((Map<String, Object>) rule.get("labels")).as(name).containsKey("severity");
      assertThat((Map<String, Object>) rule.get("annotations"))
          .as(name)
          .containsKeys("summary", "description", "runbook_url");
    }
    assertThat(alerts)
        .contains(
            "LuthienHighErrorRate",
            "LuthienHighLatencyP95",
            "LuthienRecorderDroppingEvents",
            "LuthienTelemetryAbsent",
            "LuthienPolicyNodeMissing");
    assertThat(firedInTests()).as("alerts fired by some unit test").containsAll(alerts);
  }

  @Test
  @DisplayName(
      "every alert's runbook_url points at a heading named after the alert in docs/deployment.md")
  @SuppressWarnings("unchecked")
  void runbooksExist() {
    for (Map<String, Object> rule : alertingRules()) {
      String alert = (String) rule.get("alert");
      String url =
          String.valueOf(((Map<String, Object>) rule.get("annotations")).get("runbook_url")).trim();
      assertThat(url).as(alert + " runbook_url").startsWith(RUNBOOKS_URL);
      String page = url.substring(REPOSITORY_URL.length(), url.indexOf('#'));
      String anchor = url.substring(url.indexOf('#') + 1);
      assertThat(anchor).as(alert + " runbook anchor").isEqualTo(alert.toLowerCase(Locale.ROOT));
      assertThat(MarkdownPages.anchors(page)).as(page + " headings").contains(anchor);
    }
  }

  @Test
  @DisplayName(
      "Prometheus scrapes every node role on the port the nodes serve /metrics on, and the collector")
  @SuppressWarnings("unchecked")
  void scrapeJobsMatchTheDeployment() {
    Map<String, Map<String, Object>> jobs = new java.util.HashMap<>();
    for (Map<String, Object> job :
        (List<Map<String, Object>>)
            RepoFiles.yaml("observability/prometheus/prometheus.yml").get("scrape_configs")) {
      jobs.put((String) job.get("job_name"), job);
    }
    String compose = RepoFiles.read("docker-compose.yml");
    String metricsPort = String.valueOf(TelemetrySettings.DEFAULT_METRICS_PORT);
    for (String job : NODE_JOBS) {
      assertThat(jobs).as("scrape job " + job).containsKey(job);
      String scraped = String.valueOf(jobs.get(job));
      String service = job.substring("luthien-".length());
      assertThat(scraped)
          .as(job)
          .contains("names=[" + service + "]")
          .contains("port=" + metricsPort);
      assertThat(compose)
          .as("compose service " + service)
          .containsPattern("(?m)^  " + service + ":");
    }
    assertThat(jobs.values().stream().map(String::valueOf).toList())
        .anyMatch(job -> job.contains("otel-collector:8889"));
    assertThat(compose)
        .as("the nodes keep the default node port")
        .doesNotContain("METRICS_PORT")
        .contains("http://127.0.0.1:" + metricsPort + "/health");
  }

  private static List<Map<String, Object>> alertingRules() {
    return DashboardQueries.rules().stream().filter(rule -> rule.get("alert") != null).toList();
  }

  @SuppressWarnings("unchecked")
  private static Set<String> firedInTests() {
    Set<String> fired = new TreeSet<>();
    for (Path file :
        RepoFiles.filesIn(RepoFiles.OBSERVABILITY.resolve("prometheus/tests"), ".yml")) {
      for (Map<String, Object> test :
          (List<Map<String, Object>>) RepoFiles.yaml(relative(file)).get("tests")) {
        for (Map<String, Object> check :
            (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", new ArrayList<>())) {
          List<Object> expected = (List<Object>) check.get("exp_alerts");
          if (expected != null && !expected.isEmpty()) {
            fired.add((String) check.get("alertname"));
          }
        }
      }
    }
    return fired;
  }

  private static String relative(Path file) {
    return RepoFiles.ROOT.relativize(file).toString();
  }
}
