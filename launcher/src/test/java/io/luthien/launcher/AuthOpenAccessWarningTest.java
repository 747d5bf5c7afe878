package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The start's warning about a gateway open to anyone follows {@code AUTH_MODE}. */
class AuthOpenAccessWarningTest {

  private static List<String> warnings(Map<String, String> env) {
    return OpenAccessWarnings.of(
        NodeOptions.parse(List.of("--roles", "gateway"), env), new NodeParts());
  }

  @Test
  @DisplayName(
      "without PROXY_API_KEY, client_key warns of an open gateway; passthrough, where every request"
          + " brings its own credential, does not")
  void warnsOnlyWhenTheServerKeysAreOpen() {
    assertThat(warnings(Map.of())).anyMatch(w -> w.startsWith("PROXY_API_KEY is not set"));
    assertThat(warnings(Map.of("AUTH_MODE", "passthrough")))
        .noneMatch(w -> w.startsWith("PROXY_API_KEY"));
    assertThat(warnings(Map.of("PROXY_API_KEY", "k", "AUTH_MODE", "both")))
        .noneMatch(w -> w.startsWith("PROXY_API_KEY"));
  }
}
