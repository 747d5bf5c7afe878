package io.luthien.launcher.deploy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The repository's deployment files, read from the checkout the tests run in. */
final class RepoFiles {

  /** Surefire and failsafe run in the launcher module's directory. */
  static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  static final Path OBSERVABILITY = ROOT.resolve("observability");
  static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");
  static final Path ALERT_RULES = OBSERVABILITY.resolve("prometheus/rules");

  private RepoFiles() {}

  static Path path(String relative) {
    Path path = ROOT.resolve(relative);
    if (!Files.isRegularFile(path)) {
      throw new AssertionError("missing " + relative + " (looked in " + ROOT + ")");
    }
    return path;
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String relative) {
    return (Map<String, Object>) new Yaml().load(read(relative));
  }

  static JsonObject json(Path path) {
    try {
      return new JsonObject(Files.readString(path));
    } catch (DecodeException e) {
      throw new AssertionError(ROOT.relativize(path) + " is not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> filesIn(Path directory, String suffix) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML file git knows in the repository, plus new ones not yet added. */
  static List<String> yamlFiles() {
    return Tool.run(
            "git", "ls-files", "--cached", "--others", "--exclude-standard", "*.yml", "*.yaml")
        .requireSuccess()
        .lines()
        .stream()
        .filter(file -> !file.isBlank())
        .toList();
  }
}
