package io.luthien.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.policy.api.Policy;
import io.luthien.shared.YamlFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example policy file in {@code config/} is one the policy node accepts as it stands. */
class ShippedPolicyFilesTest {

  private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

  static List<Path> policyFiles() throws IOException {
    try (Stream<Path> files = Files.list(CONFIG)) {
      List<Path> found =
          files
              .filter(file -> file.getFileName().toString().matches("policy\\..*\\.yaml"))
              .sorted()
              .toList();
      assertThat(found).as("policy files in %s", CONFIG).hasSizeGreaterThanOrEqualTo(7);
      return found;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policyFiles")
  @DisplayName("an example policy file in config/ loads through the policy node's factory")
  void loads(Path file) throws IOException {
    PolicyFactory factory = new PolicyFactory(PolicyCatalog.load(null), null);

    Policy policy =
        factory.fromConfig(
            YamlFiles.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()),
            file.getFileName().toString());

    assertThat(policy).isNotNull();
  }
}
