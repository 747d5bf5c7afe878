package io.luthien.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UpstreamAttributesTest {

  private final UpstreamAttributes attributes = new UpstreamAttributes();

  @Test
  @DisplayName("each combination is built once and then reused, with exactly the attributes given")
  void builtOnce() {
    Attributes first = attributes.of("openai", "gpt-4o", "gpt-4o-2024", null, null);
    assertThat(attributes.of("openai", "gpt-4o", "gpt-4o-2024", null, null)).isSameAs(first);
    assertThat(first.asMap())
        .containsOnlyKeys(
            TelemetryNames.GEN_AI_OPERATION_NAME,
            TelemetryNames.GEN_AI_PROVIDER_NAME,
            TelemetryNames.GEN_AI_REQUEST_MODEL,
            TelemetryNames.GEN_AI_RESPONSE_MODEL);

    Attributes failed = attributes.of("openai", "gpt-4o", null, "timeout", null);
    assertThat(failed.get(TelemetryNames.ERROR_TYPE)).isEqualTo("timeout");
    assertThat(failed.get(TelemetryNames.GEN_AI_RESPONSE_MODEL)).isNull();
    Attributes input = attributes.of("openai", "gpt-4o", "gpt-4o-2024", null, "input");
    assertThat(input.get(TelemetryNames.GEN_AI_TOKEN_TYPE)).isEqualTo("input");
    assertThat(input).isNotEqualTo(first);
    assertThat(attributes.size()).isEqualTo(3);
  }

  @Test
  @DisplayName("past the bound, sets are still right but no longer kept")
  void bounded() {
    for (int i = 0; i < UpstreamAttributes.MAX_CACHED + 10; i++) {
      attributes.of("p", "m" + i, null, null, null);
    }
    assertThat(attributes.size()).isEqualTo(UpstreamAttributes.MAX_CACHED);
    assertThat(
            attributes.of("p", "extra", null, null, null).get(TelemetryNames.GEN_AI_REQUEST_MODEL))
        .isEqualTo("extra");
  }
}
