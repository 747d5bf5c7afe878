package io.luthien.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, checked by Debian's docker-compose and read back resolved (anchors merged,
 * defaults set).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {

  private static final List<String> NODES = List.of("gateway", "policy", "recorder", "debug");
  private static final List<String> CORE =
      List.of("gateway", "policy", "recorder", "debug", "postgres", "redis");
  private static final Set<String> OBSERVABILITY =
      Set.of("otel-collector", "tempo", "loki", "prometheus", "grafana");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
  private static final Pattern ENV_LINE = Pattern.compile("^([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);

  private Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  void resolve() {
    String resolved =
        Tool.run(
                "docker-compose",
                "-f",
                "docker-compose.yml",
                "--profile",
                "observability",
                "--profile",
                "lgtm",
                "config")
            .requireSuccess()
            .output();
    services =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) new Yaml().load(resolved)).get("services");
  }

  @Test
  @DisplayName("docker-compose config -q accepts the file, without a .env and with .env.example")
  void composeAcceptsTheFile() {
    Tool.run("docker-compose", "-f", "docker-compose.yml", "config", "-q").requireSuccess();
    Tool.run(
            "docker-compose",
            "-f",
            "docker-compose.yml",
            "--env-file",
            ".env.example",
            "config",
            "-q")
        .requireSuccess();
  }

  @Test
  @DisplayName(
      "the observability profile adds the collector, Tempo, Loki, Prometheus and Grafana; the default has none")
  @SuppressWarnings("unchecked")
  void profiles() {
    // docker-compose 1.29's "config --services" lists every profile's services: read each service's
    // profiles
    Set<String> byDefault = new TreeSet<>();
    Set<String> observed = new TreeSet<>();
    services.forEach(
        (name, service) -> {
          List<String> profiles = (List<String>) service.getOrDefault("profiles", List.of());
          if (profiles.isEmpty()) {
            byDefault.add(name);
          } else if (profiles.contains("observability")) {
            observed.add(name);
          }
        });

    assertThat(byDefault).containsExactlyInAnyOrderElementsOf(CORE);
    assertThat(observed).containsExactlyInAnyOrderElementsOf(OBSERVABILITY);
    assertThat((List<String>) services.get("lgtm").get("profiles")).containsExactly("lgtm");
  }

  @Test
  @DisplayName(
      "the four nodes run one image, one role each, and join one cluster over the compose network")
  @SuppressWarnings("unchecked")
  void nodesRunOneRoleEach() {
    Object image = services.get("gateway").get("image");
    for (String node : NODES) {
      Map<String, Object> service = services.get(node);
      Map<String, Object> env = (Map<String, Object>) service.get("environment");
      assertThat(service.get("image")).as(node).isEqualTo(image);
      assertThat(String.join(" ", (List<String>) service.get("command")))
          .as(node)
          .contains("--roles " + node);
      assertThat(String.valueOf(env.get("CLUSTER_MEMBERS")).split(","))
          .as(node)
          .containsExactlyInAnyOrderElementsOf(NODES);
      assertThat(env.get("CLUSTER_HOST")).as(node).isEqualTo("auto");
    }
    Map<String, Object> deploy = (Map<String, Object>) services.get("policy").get("deploy");
    assertThat(deploy.get("replicas")).as("policy replicas").isEqualTo(2);
    for (String storing : List.of("recorder", "debug")) {
      Map<String, Object> env = (Map<String, Object>) services.get(storing).get("environment");
      assertThat(String.valueOf(env.get("DATABASE_URL"))).as(storing).contains("@postgres:5432/");
      assertThat(String.valueOf(env.get("REDIS_URL"))).as(storing).isEqualTo("redis://redis:6379");
    }
  }

  @Test
  @DisplayName(
      "every core service has a health check, limits and a restart policy; nodes wait for what they need")
  @SuppressWarnings("unchecked")
  void healthLimitsAndOrder() {
    for (String name : CORE) {
      Map<String, Object> service = services.get(name);
      Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
      assertThat(healthcheck).as(name + " healthcheck").isNotNull();
      assertThat(healthcheck.get("test")).as(name).isNotNull();
      Map<String, Object> limits =
          (Map<String, Object>)
              ((Map<String, Object>) ((Map<String, Object>) service.get("deploy")).get("resources"))
                  .get("limits");
      assertThat(limits).as(name + " limits").containsKeys("memory", "cpus");
      assertThat(service.get("restart")).as(name).isNotNull();
    }
    for (String node : NODES) {
      String test =
          String.join(
              " ",
              (List<String>)
                  ((Map<String, Object>) services.get(node).get("healthcheck")).get("test"));
      assertThat(test).as(node + " health check").contains("/health");
    }
    assertThat(conditions("recorder"))
        .containsEntry("postgres", "service_healthy")
        .containsEntry("redis", "service_healthy");
    assertThat(conditions("debug")).containsEntry("postgres", "service_healthy");
    assertThat(conditions("gateway")).containsEntry("policy", "service_healthy");
    for (String service : OBSERVABILITY) {
      assertThat(services.get(service).get("deploy")).as(service + " limits").isNotNull();
    }
  }

  @Test
  @DisplayName("PostgreSQL keeps its data in a named volume")
  @SuppressWarnings("unchecked")
  void namedVolumes() {
    List<String> volumes =
        (List<String>)
            (List<?>)
                ((List<Object>) services.get("postgres").get("volumes"))
                    .stream()
                        .map(
                            volume ->
                                volume instanceof Map<?, ?> map
                                    ? map.get("source") + ":" + map.get("target")
                                    : String.valueOf(volume))
                        .toList();
    Map<String, Object> declared = RepoFiles.yaml("docker-compose.yml");

    assertThat(volumes)
        .anyMatch(
            volume ->
                volume.contains(":/var/lib/postgresql/data")
                    && !volume.startsWith("/")
                    && !volume.startsWith("."));
    assertThat((Map<String, Object>) declared.get("volumes")).isNotEmpty();
  }

  @Test
  @DisplayName(
      ".env.example lists exactly the variables docker-compose.yml reads, and every one has a default")
  void envExampleMatchesCompose() {
    String compose = RepoFiles.read("docker-compose.yml");
    Set<String> used = names(VARIABLE.matcher(compose));
    Set<String> listed = names(ENV_LINE.matcher(RepoFiles.read(".env.example")));

    assertThat(listed).as(".env.example").containsExactlyInAnyOrderElementsOf(used);
    assertThat(compose).as("a ${VAR} without default").doesNotContainPattern("\\$\\{[A-Z0-9_]+}");
  }

  @Test
  @DisplayName(
      "the Dockerfile builds the launcher's fat jar by its real name and ships the config directory")
  void dockerfileMatchesTheBuild() {
    String dockerfile = RepoFiles.read("Dockerfile");

    assertThat(RepoFiles.read("launcher/pom.xml")).contains("<finalName>luthien-vertx</finalName>");
    assertThat(dockerfile).contains("launcher/target/luthien-vertx.jar").contains("config");
    assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK|curl");
  }

  @Test
  @DisplayName("the Dockerfile copies the pom and the sources of every module the root pom lists")
  void dockerfileCopiesEveryModule() {
    String dockerfile = RepoFiles.read("Dockerfile");
    Set<String> modules =
        names(Pattern.compile("<module>([^<]+)</module>").matcher(RepoFiles.read("pom.xml")));

    assertThat(modules)
        .isNotEmpty()
        .allSatisfy(
            module ->
                assertThat(dockerfile)
                    .contains("COPY " + module + "/pom.xml " + module + "/")
                    .contains("COPY " + module + "/src " + module + "/src"));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> conditions(String service) {
    Object dependsOn = services.get(service).get("depends_on");
    assertThat(dependsOn).as(service + " depends_on with conditions").isInstanceOf(Map.class);
    Map<String, Object> conditions = new java.util.TreeMap<>();
    ((Map<String, Map<String, Object>>) dependsOn)
        .forEach((name, spec) -> conditions.put(name, spec.get("condition")));
    return conditions;
  }

  private static Set<String> names(Matcher matcher) {
    Set<String> names = new TreeSet<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
