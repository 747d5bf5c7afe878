package io.luthien.shared.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeTelemetryTest {

  @Test
  @DisplayName("off means no SDK at all: the no-op OpenTelemetry, and no exporter threads started")
  void offIsNothing() {
    long exporterThreadsBefore = exporterThreads();
    try (NodeTelemetry off =
        NodeTelemetry.start(
            TelemetrySettings.from(
                new JsonObject()
                    .put("OTEL_ENABLED", "false")
                    .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"),
                "luthien"))) {
      assertThat(off.enabled()).isFalse();
      assertThat(off.sdk()).isNull();
      assertThat(off.openTelemetry()).isSameAs(OpenTelemetry.noop());
      assertThat(exporterThreads()).isEqualTo(exporterThreadsBefore);
    }
  }

  @Test
  @DisplayName(
      "on with an OTLP endpoint, the SDK runs its batch exporter threads (so the check above can fail)")
  void onStartsExporters() {
    long exporterThreadsBefore = exporterThreads();
    try (NodeTelemetry on =
        NodeTelemetry.start(
            TelemetrySettings.from(
                new JsonObject()
                    .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
                    .put("OTEL_JAVA_EXPORTER_OTLP_RETRY_DISABLED", "true"),
                "luthien"))) {
      on.openTelemetry().getTracer("test").spanBuilder("probe").startSpan().end();
      assertThat(exporterThreads()).isGreaterThan(exporterThreadsBefore);
    }
  }

  @Test
  @DisplayName(
      "a span started under a call's baggage carries luthien.call_id, and so do its children")
  void callIdOnSpans() {
    try (TestTelemetry telemetry = TestTelemetry.start()) {
      var tracer = telemetry.openTelemetry().getTracer("test");
      Context call = CallBaggage.withCallId(Context.root(), "call-42");
      Span parent = tracer.spanBuilder("parent").setParent(call).startSpan();
      try (Scope ignored = parent.storeInContext(call).makeCurrent()) {
        tracer.spanBuilder("child").startSpan().end();
      }
      parent.end();
      tracer.spanBuilder("unrelated").setParent(Context.root()).startSpan().end();

      assertThat(telemetry.spansOfCall("call-42"))
          .extracting(SpanData::getName)
          .containsExactlyInAnyOrder("child", "parent");
      assertThat(
              telemetry.span("unrelated").orElseThrow().getAttributes().get(TelemetryNames.CALL_ID))
          .isNull();
    }
  }

  @Test
  @DisplayName(
      "a log record emitted under a call's baggage carries luthien.call_id and the span's trace id")
  void callIdOnLogs() {
    try (TestTelemetry telemetry = TestTelemetry.start()) {
      Context call = CallBaggage.withCallId(Context.root(), "call-7");
      Span span =
          telemetry
              .openTelemetry()
              .getTracer("test")
              .spanBuilder("work")
              .setParent(call)
              .startSpan();
      try (Scope ignored = span.storeInContext(call).makeCurrent()) {
        telemetry
            .openTelemetry()
            .getLogsBridge()
            .get("test")
            .logRecordBuilder()
            .setBody("hello")
            .emit();
      }
      span.end();

      assertThat(telemetry.logs())
          .singleElement()
          .satisfies(
              record -> {
                assertThat(record.getAttributes().get(TelemetryNames.CALL_ID)).isEqualTo("call-7");
                assertThat(record.getSpanContext().getTraceId())
                    .isEqualTo(span.getSpanContext().getTraceId());
              });
    }
  }

  @Test
  @DisplayName(
      "the scrape is Prometheus text by default and OpenMetrics when asked, with the resource as target_info")
  void scrape() {
    try (TestTelemetry telemetry = TestTelemetry.start()) {
      telemetry
          .openTelemetry()
          .getMeter("test")
          .counterBuilder("luthien.test.things")
          .build()
          .add(3);

      NodeTelemetry.Scrape text = telemetry.node().scrape(null);
      String body = new String(text.body(), StandardCharsets.UTF_8);
      assertThat(text.contentType()).startsWith("text/plain");
      assertThat(body)
          .contains("luthien_test_things_total 3")
          .contains("target_info{")
          .contains("service_name=\"luthien-test\"");

      NodeTelemetry.Scrape open =
          telemetry.node().scrape("application/openmetrics-text; version=1.0.0");
      assertThat(open.contentType()).startsWith("application/openmetrics-text");
      assertThat(new String(open.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    }
  }

  private static long exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(
            name ->
                name.contains("BatchSpanProcessor")
                    || name.contains("PeriodicMetricReader")
                    || name.contains("BatchLogRecordProcessor"))
        .count();
  }
}
