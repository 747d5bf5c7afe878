package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class YamlLintTest {

  @Test
  @DisplayName("yamllint -s (warnings are errors) passes on every YAML file of the repository")
  void everyYamlFile() {
    List<String> files = RepoFiles.yamlFiles();
    assertThat(files)
        .contains(
            "docker-compose.yml",
            "observability/prometheus/prometheus.yml",
            "observability/otel-collector/config.yaml");

    List<String> command = new ArrayList<>(List.of("yamllint", "-s", "-c", ".yamllint"));
    command.addAll(files);
    Tool.run(command.toArray(String[]::new)).requireSuccess();
  }
}
