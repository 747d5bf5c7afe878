package io.luthien.policy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolCallVerdictTest {

  @Test
  @DisplayName("pass has no text; replace and block carry theirs, an absent one read as empty")
  void texts() {
    assertThat(ToolCallVerdict.pass().kind()).isEqualTo(ToolCallVerdict.Kind.PASS);
    assertThat(ToolCallVerdict.pass().text()).isNull();
    assertThat(ToolCallVerdict.replace("why"))
        .isEqualTo(new ToolCallVerdict(ToolCallVerdict.Kind.REPLACE, "why"));
    assertThat(ToolCallVerdict.replace(null).text()).isEmpty();
    assertThat(ToolCallVerdict.block("stop").kind()).isEqualTo(ToolCallVerdict.Kind.BLOCK);
    assertThat(ToolCallVerdict.block(null).text()).isEmpty();
    assertThat(new ToolCallVerdict(ToolCallVerdict.Kind.PASS, "ignored"))
        .isEqualTo(ToolCallVerdict.pass());
  }

  @Test
  @DisplayName("a verdict without a kind is refused when it is made")
  void kindRequired() {
    assertThatThrownBy(() -> new ToolCallVerdict(null, "x"))
        .isInstanceOf(NullPointerException.class);
  }
}
