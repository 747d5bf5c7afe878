package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolIdsAndStopReasonsTest {

  @Test
  @DisplayName(
      "tool ids swap prefixes both ways, so a round trip gives the id back; foreign ids pass")
  void toolIds() {
    assertThat(ToolIds.toOpenAi("toolu_01AbC")).isEqualTo("call_01AbC");
    assertThat(ToolIds.toAnthropic("call_xyz")).isEqualTo("toolu_xyz");
    assertThat(ToolIds.toAnthropic(ToolIds.toOpenAi("toolu_42"))).isEqualTo("toolu_42");
    assertThat(ToolIds.toOpenAi("fc_123")).isEqualTo("fc_123");
    assertThat(ToolIds.toAnthropic(null)).isNull();
  }

  @Test
  @DisplayName("stop reasons map to finish reasons and back")
  void stopReasons() {
    assertThat(StopReasons.toFinishReason("end_turn")).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("stop_sequence")).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("max_tokens")).isEqualTo("length");
    assertThat(StopReasons.toFinishReason("tool_use")).isEqualTo("tool_calls");
    assertThat(StopReasons.toStopReason("tool_calls")).isEqualTo("tool_use");
    assertThat(StopReasons.toStopReason("length")).isEqualTo("max_tokens");
    assertThat(StopReasons.toStopReason("stop")).isEqualTo("end_turn");
    assertThat(StopReasons.toStopReason(null)).isNull();
  }
}
