package io.luthien.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DebugSettingsTest {

  private static final String CALL_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  @Test
  @DisplayName(
      "a new browser is replayed the latest 50 events unless DEBUG_SSE_REPLAY_EVENTS says otherwise; a negative count stops the start")
  void replayEvents() {
    assertThat(DebugSettings.from(new JsonObject()).replayEvents()).isEqualTo(50);
    assertThat(
            DebugSettings.from(new JsonObject().put("DEBUG_SSE_REPLAY_EVENTS", "0")).replayEvents())
        .isZero();
    assertThat(
            DebugSettings.from(new JsonObject().put("DEBUG_SSE_REPLAY_EVENTS", "500"))
                .replayEvents())
        .isEqualTo(500);
    assertThatThrownBy(
            () -> DebugSettings.from(new JsonObject().put("DEBUG_SSE_REPLAY_EVENTS", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEBUG_SSE_REPLAY_EVENTS");
  }

  @Test
  @DisplayName(
      "without DEBUG_TRACE_URL_TEMPLATE a call links to Grafana only when the node exports traces over OTLP")
  void defaultTraceLinkNeedsExportedTraces() {
    JsonObject exporting =
        new JsonObject().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");

    assertThat(traceUrl(new JsonObject())).isNull();
    assertThat(traceUrl(exporting.copy()))
        .startsWith("http://localhost:3000/explore?left=")
        .contains(CALL_ID);
    assertThat(traceUrl(exporting.copy().put("OTEL_ENABLED", "false"))).isNull();
    assertThat(traceUrl(exporting.copy().put("OTEL_SDK_DISABLED", "true"))).isNull();
    assertThat(traceUrl(exporting.copy().put("OTEL_TRACES_EXPORTER", "console"))).isNull();
    assertThat(traceUrl(new JsonObject().put("DEBUG_TRACE_URL_TEMPLATE", ""))).isNull();
  }

  @Test
  @DisplayName("DEBUG_TRACE_URL_TEMPLATE is the trace link whether or not this node exports traces")
  void explicitTraceLink() {
    assertThat(
            traceUrl(
                new JsonObject()
                    .put("DEBUG_TRACE_URL_TEMPLATE", "https://traces.example/{call_id}?x=1")))
        .isEqualTo("https://traces.example/" + CALL_ID + "?x=1");
  }

  private static String traceUrl(JsonObject config) {
    return DebugSettings.from(config).traceUrl(CALL_ID);
  }
}
