package io.luthien.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelLabelsTest {

  @Test
  @DisplayName("without routes every model is labelled other, and an absent model gets no label")
  void withoutRoutesEveryModelIsOther() {
    assertThat(ModelLabels.NONE.label("gpt-4o")).isEqualTo(ModelLabels.OTHER);
    assertThat(ModelLabels.NONE.label(null)).isNull();
  }
}
