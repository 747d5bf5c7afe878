package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Collector's configuration. The collector has no package here, so its file is
 * checked for the structure the issue asks for and for consistency: every component a pipeline
 * names is defined, and used.
 */
class CollectorConfigTest {

  private static final String FILE = "observability/otel-collector/config.yaml";

  @Test
  @DisplayName(
      "every pipeline starts with memory_limiter and batches; health_check listens on 13133")
  @SuppressWarnings("unchecked")
  void processorsAndHealth() {
    Map<String, Object> config = RepoFiles.yaml(FILE);
    Map<String, Object> service = section(config, "service");
    Map<String, Map<String, List<String>>> pipelines =
        (Map<String, Map<String, List<String>>>) service.get("pipelines");

    assertThat(pipelines).containsKeys("traces", "metrics", "logs");
    pipelines.forEach(
        (name, pipeline) -> {
          assertThat(pipeline.get("processors"))
              .as(name + " processors")
              .first()
              .isEqualTo("memory_limiter");
          assertThat(pipeline.get("processors")).as(name + " processors").contains("batch");
        });
    assertThat((List<String>) service.get("extensions")).contains("health_check");
    assertThat(String.valueOf(section(config, "extensions").get("health_check"))).contains("13133");
  }

  @Test
  @DisplayName(
      "traces go to Tempo and feed span metrics, metrics to the Prometheus exporter, logs to Loki")
  @SuppressWarnings("unchecked")
  void routing() {
    Map<String, Object> config = RepoFiles.yaml(FILE);
    Map<String, Map<String, List<String>>> pipelines =
        (Map<String, Map<String, List<String>>>) section(config, "service").get("pipelines");
    Map<String, Object> exporters = section(config, "exporters");
    Set<String> connectors = section(config, "connectors").keySet();

    assertThat(endpoints(exporters, pipelines.get("traces").get("exporters")))
        .anyMatch(e -> e.contains("tempo"));
    assertThat(endpoints(exporters, pipelines.get("logs").get("exporters")))
        .anyMatch(e -> e.contains("loki"));
    assertThat(endpoints(exporters, pipelines.get("metrics").get("exporters")))
        .anyMatch(e -> e.contains(":8889"));
    String spanMetrics =
        connectors.stream()
            .filter(name -> name.startsWith("span"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span metrics connector in " + connectors));
    assertThat(pipelines.get("traces").get("exporters")).contains(spanMetrics);
    assertThat(pipelines.get("metrics").get("receivers")).contains(spanMetrics);
    String otlp = String.valueOf(section(config, "receivers").get("otlp"));
    assertThat(otlp).contains("4317").contains("4318");
  }

  @Test
  @DisplayName("every component a pipeline names is defined, and every defined component is used")
  @SuppressWarnings("unchecked")
  void componentsAreDefinedAndUsed() {
    Map<String, Object> config = RepoFiles.yaml(FILE);
    Map<String, Map<String, List<String>>> pipelines =
        (Map<String, Map<String, List<String>>>) section(config, "service").get("pipelines");
    Set<String> connectors = section(config, "connectors").keySet();
    Set<String> usedReceivers = new HashSet<>();
    Set<String> usedProcessors = new HashSet<>();
    Set<String> usedExporters = new HashSet<>();
    pipelines
        .values()
        .forEach(
            pipeline -> {
              usedReceivers.addAll(pipeline.getOrDefault("receivers", List.of()));
              usedProcessors.addAll(pipeline.getOrDefault("processors", List.of()));
              usedExporters.addAll(pipeline.getOrDefault("exporters", List.of()));
            });
    usedReceivers.removeAll(connectors);
    usedExporters.removeAll(connectors);

    assertThat(section(config, "receivers").keySet())
        .containsExactlyInAnyOrderElementsOf(usedReceivers);
    assertThat(section(config, "processors").keySet())
        .containsExactlyInAnyOrderElementsOf(usedProcessors);
    assertThat(section(config, "exporters").keySet())
        .containsExactlyInAnyOrderElementsOf(usedExporters);
  }

  @SuppressWarnings("unchecked")
  private static List<String> endpoints(Map<String, Object> exporters, List<String> names) {
    return names.stream()
        .filter(exporters::containsKey)
        .map(name -> String.valueOf(exporters.get(name)))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> config, String name) {
    Object section = config.get(name);
    assertThat(section).as(FILE + " " + name).isInstanceOf(Map.class);
    return (Map<String, Object>) section;
  }
}
