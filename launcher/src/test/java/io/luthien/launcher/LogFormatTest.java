package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogFormatTest {

  @ParameterizedTest(name = "LOG_FORMAT={0}, terminal {1}: {2}")
  @CsvSource(
      nullValues = "unset",
      value = {
        "unset, true, text",
        "unset, false, json",
        "'', true, text",
        "'', false, json",
        "json, true, json",
        "JSON, true, json",
        "text, false, text",
        "' Text ', false, text"
      })
  @DisplayName(
      "unset, the console logs text to a terminal and JSON anywhere else; LOG_FORMAT, when set, decides")
  void formatChoice(String configured, boolean terminal, String expected) {
    assertThat(LogFormat.choose(configured, terminal)).isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "an unknown LOG_FORMAT stops the start with a message naming the variable and both formats")
  void unknownFormatIsRefused() {
    assertThatThrownBy(() -> LogFormat.requireKnown("pretty"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("LOG_FORMAT", "json", "text", "'pretty'");
  }

  @Test
  @DisplayName(
      "under the test runner, whose stdout is a file, the console is not taken for a terminal")
  void testRunnerIsNoTerminal() {
    assertThat(LogFormat.stdoutIsTerminal()).isFalse();
  }
}
