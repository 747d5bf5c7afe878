package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PromQlReferencesTest {

  @Test
  @DisplayName(
      "metric names are told apart from functions, aggregations, keywords, numbers and durations")
  void metricsOnly() {
    PromQlReferences refs =
        PromQlReferences.of(
            "histogram_quantile(0.95, sum by (le, gen_ai_request_model) "
                + "(rate(http_server_request_duration_seconds_bucket{job=\"luthien-gateway\"}[5m] offset 1h)))"
                + " > bool 1e-3 and on (instance) up == 1 unless luthien:availability:ratio_rate5m");

    assertThat(refs.metrics())
        .containsExactlyInAnyOrder(
            "http_server_request_duration_seconds_bucket",
            "up",
            "luthien:availability:ratio_rate5m");
    assertThat(refs.labels())
        .containsExactlyInAnyOrder("le", "gen_ai_request_model", "job", "instance");
  }

  @Test
  @DisplayName(
      "strings, including ones that look like metrics or hold quotes, are not read as names")
  void stringsSkipped() {
    PromQlReferences refs =
        PromQlReferences.of(
            "label_replace(sum without (instance) (luthien_upstream_errors_total{error_type=~\"http_5.. \\\"x\\\"\"}),"
                + " \"kind\", \"$1\", \"error_type\", \"(.*)\")");

    assertThat(refs.metrics()).containsExactly("luthien_upstream_errors_total");
    assertThat(refs.labels()).containsExactlyInAnyOrder("instance", "error_type");
  }

  @Test
  @DisplayName(
      "{__name__=\"x\"} names metric x; a bare selector with matchers still names its labels")
  void nameMatcher() {
    PromQlReferences refs =
        PromQlReferences.of("count({__name__=\"target_info\", service_name!=\"\"})");

    assertThat(refs.metrics()).containsExactly("target_info");
    assertThat(refs.labels()).containsExactly("service_name");
  }

  @Test
  @DisplayName(
      "Grafana's interval variables become a duration and other variables a regex, so promtool can parse")
  void grafanaVariables() {
    String expr =
        PromQlReferences.withoutGrafanaVariables(
            "rate(x_total{model=~\"$model\", p=~\"${policy:regex}\"}[$__rate_interval]) * ${__range_s}");

    assertThat(expr).isEqualTo("rate(x_total{model=~\".*\", p=~\".*\"}[5m]) * 5m");
  }
}
