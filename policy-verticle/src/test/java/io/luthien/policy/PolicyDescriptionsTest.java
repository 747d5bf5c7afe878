package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.policy.api.Policy;
import io.luthien.policy.library.redaction.Presets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy list the admin API serves: every shipped policy with its description, config schema
 * and an example config that the policy node accepts; a plugin that ships no metadata is listed all
 * the same.
 */
class PolicyDescriptionsTest {

  private static final PolicyCatalog SHIPPED = PolicyCatalog.load(null);

  private final PolicyConfigValidator validator =
      new PolicyConfigValidator(SHIPPED, new PolicyFactory(SHIPPED, null));

  static Stream<String> shippedPolicies() {
    return SHIPPED.names().stream();
  }

  @Test
  @DisplayName(
      "every shipped policy is listed once, sorted by name, with its class, description, category, schema and example")
  void listsEveryShippedPolicy() {
    JsonArray list = new PolicyDescriptions(SHIPPED).list();

    List<String> names = list.stream().map(e -> ((JsonObject) e).getString("name")).toList();
    assertThat(names).isEqualTo(SHIPPED.names()).isSorted().hasSize(18);
    for (Object listed : list) {
      JsonObject entry = (JsonObject) listed;
      assertThat(entry.fieldNames())
          .containsExactlyInAnyOrder(
              "name", "class_ref", "description", "category", "config_schema", "example_config");
      assertThat(entry.getString("class_ref"))
          .isEqualTo(SHIPPED.classes().get(entry.getString("name")).getName());
      assertThat(entry.getString("description")).as(entry.getString("name")).isNotBlank();
      assertThat(entry.getString("category")).as(entry.getString("name")).isNotBlank();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  @DisplayName(
      "a shipped policy has a .policy.json beside its class: a draft 2020-12 object schema that takes no unknown key")
  void hasMetadata(String name) {
    Class<? extends Policy> type = SHIPPED.classes().get(name);
    assertThat(type.getResource(name + PolicyMetadata.SUFFIX)).as(name).isNotNull();

    JsonObject schema = PolicyMetadata.of(type).configSchema();

    assertThat(schema.getString("$schema"))
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.getString("type")).isEqualTo("object");
    assertThat(schema.getValue("additionalProperties")).isEqualTo(false);
    assertThat(schema.getJsonObject("properties")).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  @DisplayName("a shipped policy's example config passes its schema and builds through the factory")
  void exampleBuilds(String name) {
    JsonObject example = PolicyMetadata.of(SHIPPED.classes().get(name)).exampleConfig();

    Policy built = validator.validate(new JsonObject().put("class", name).put("config", example));

    assertThat(built).isInstanceOf(SHIPPED.classes().get(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  @DisplayName("a shipped policy's schema names exactly the config keys its constructor accepts")
  void schemaNamesTheConstructorsKeys(String name) {
    JsonObject schema = PolicyMetadata.of(SHIPPED.classes().get(name)).configSchema();
    PolicyFactory factory = new PolicyFactory(SHIPPED, null);
    JsonObject unknownKey =
        new JsonObject().put("class", name).put("config", new JsonObject().put("no_such_key", 1));

    assertThatThrownBy(() -> factory.build(unknownKey, "policy"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            refusal ->
                assertThat(schema.getJsonObject("properties").fieldNames())
                    .isEqualTo(acceptedKeys(refusal.getMessage())));
  }

  /**
   * The keys {@code PolicyConfig.allowOnly} lists in its refusal; none for a class whose
   * constructor takes no config.
   */
  private static Set<String> acceptedKeys(String refusal) {
    if (refusal.contains("takes no config keys")) {
      return Set.of();
    }
    assertThat(refusal).contains("(known: ");
    String known = refusal.substring(refusal.indexOf("(known: ") + 8, refusal.lastIndexOf(')'));
    return new TreeSet<>(List.of(known.split(", ")));
  }

  @Test
  @DisplayName("RegexRedactionPolicy's schema offers exactly the presets the policy knows")
  void redactionPresetsMatchTheCode() {
    JsonObject schema =
        PolicyMetadata.of(SHIPPED.classes().get("RegexRedactionPolicy")).configSchema();

    JsonArray offered =
        schema
            .getJsonObject("properties")
            .getJsonObject("presets")
            .getJsonObject("items")
            .getJsonArray("enum");

    assertThat(offered.stream().map(String::valueOf).toList())
        .containsExactlyInAnyOrderElementsOf(Presets.names());
  }

  @Test
  @DisplayName(
      "a plugin's policy without a .policy.json is listed with an empty description, any mapping as its schema and {} as its example")
  void pluginWithoutMetadata(@TempDir Path plugins) throws IOException {
    writeIndexJar(plugins.resolve("blocking.jar"), TestPolicies.Blocking.class.getName());
    PolicyCatalog catalog = PolicyCatalog.load(plugins.toString());

    JsonArray list = new PolicyDescriptions(catalog).list();

    JsonObject plugin =
        list.stream()
            .map(JsonObject.class::cast)
            .filter(entry -> entry.getString("name").equals("Blocking"))
            .findFirst()
            .orElseThrow();
    assertThat(plugin)
        .isEqualTo(
            new JsonObject()
                .put("name", "Blocking")
                .put("class_ref", TestPolicies.Blocking.class.getName())
                .put("description", "")
                .put("category", "")
                .put("config_schema", new JsonObject().put("type", "object"))
                .put("example_config", new JsonObject()));
    assertThat(list).hasSize(19);
    assertThat(
            new PolicyConfigValidator(catalog, new PolicyFactory(catalog, null))
                .validate(
                    new JsonObject()
                        .put("class", "Blocking")
                        .put("config", new JsonObject().put("word", "shh"))))
        .isInstanceOf(TestPolicies.Blocking.class);
  }

  /** A plugin jar that only lists a class the test's own class path holds. */
  private static void writeIndexJar(Path jar, String className) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry(PolicyCatalog.INDEX));
      out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
