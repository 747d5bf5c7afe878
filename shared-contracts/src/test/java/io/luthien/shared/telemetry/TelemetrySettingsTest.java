package io.luthien.shared.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {

  @Test
  @DisplayName(
      "telemetry is on by default, and OTEL_ENABLED=false or OTEL_SDK_DISABLED=true turns it off")
  void switches() {
    assertThat(settings(new JsonObject()).enabled()).isTrue();
    assertThat(settings(new JsonObject().put("OTEL_ENABLED", "false")).enabled()).isFalse();
    assertThat(settings(new JsonObject().put("OTEL_SDK_DISABLED", "true")).enabled()).isFalse();
    assertThat(settings(new JsonObject().put("OTEL_SDK_DISABLED", "false")).enabled()).isTrue();
  }

  @Test
  @DisplayName(
      "without an OTLP endpoint nothing is exported; with one, traces, metrics and logs go over OTLP")
  void exporters() {
    assertThat(settings(new JsonObject()).sdkProperties())
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none");
    assertThat(
            settings(new JsonObject().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .sdkProperties())
        .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.logs.exporter", "otlp");
    assertThat(settings(new JsonObject().put("OTEL_TRACES_EXPORTER", "console")).sdkProperties())
        .containsEntry("otel.traces.exporter", "console")
        .containsEntry("otel.metrics.exporter", "none");
  }

  @Test
  @DisplayName(
      "the service name defaults per node and OTEL_SERVICE_NAME wins; sampler variables reach the SDK")
  void serviceNameAndSampler() {
    assertThat(settings(new JsonObject()).sdkProperties())
        .containsEntry("otel.service.name", "luthien-gateway");
    TelemetrySettings named =
        settings(
            new JsonObject()
                .put("OTEL_SERVICE_NAME", "edge")
                .put("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                .put("OTEL_TRACES_SAMPLER_ARG", "0.25"));
    assertThat(named.serviceName()).isEqualTo("edge");
    assertThat(named.sdkProperties())
        .containsEntry("otel.service.name", "edge")
        .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
        .containsEntry("otel.traces.sampler.arg", "0.25");
  }

  @Test
  @DisplayName(
      "the metrics port defaults to 9464, METRICS_PORT=off serves none, and a bad value names the variable")
  void metricsPort() {
    assertThat(settings(new JsonObject()).metricsPort()).isEqualTo(9464);
    assertThat(settings(new JsonObject().put("METRICS_PORT", "off")).metricsPort()).isEqualTo(-1);
    assertThat(settings(new JsonObject().put("METRICS_PORT", "9100")).metricsPort())
        .isEqualTo(9100);
    assertThatThrownBy(() -> settings(new JsonObject().put("METRICS_PORT", "ninety")))
        .hasMessageContaining("METRICS_PORT");
    assertThatThrownBy(() -> settings(new JsonObject().put("OTEL_ENABLED", "maybe")))
        .hasMessageContaining("OTEL_ENABLED");
  }

  private static TelemetrySettings settings(JsonObject config) {
    return TelemetrySettings.from(config, "luthien-gateway");
  }
}
