package io.luthien.launcher.telemetry;

import static io.luthien.launcher.telemetry.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The test receiver decodes what the real OTel SDK's OTLP/HTTP exporters send, compressed or not.
 */
class OtlpReceiverTest {

  private static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("luthien.call_id");

  private Vertx vertx;
  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    receiver = await(OtlpReceiver.start(vertx));
  }

  @AfterEach
  void stop() {
    await(receiver.close());
    await(vertx.close());
  }

  @ParameterizedTest(name = "compression {0}")
  @ValueSource(strings = {"none", "gzip"})
  @DisplayName(
      "spans, metrics and log records exported by the OTel SDK arrive decoded, with their resource")
  void decodesWhatTheSdkExports(String compression) {
    String endpoint = receiver.endpoint();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        "receiver-test",
                        AttributeKey.stringKey("service.instance.id"),
                        "i-1")));
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setResource(resource)
                    .addSpanProcessor(
                        SimpleSpanProcessor.create(
                            OtlpHttpSpanExporter.builder()
                                .setEndpoint(endpoint + "/v1/traces")
                                .setCompression(compression)
                                .build()))
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .setResource(resource)
                    .registerMetricReader(
                        PeriodicMetricReader.builder(
                                OtlpHttpMetricExporter.builder()
                                    .setEndpoint(endpoint + "/v1/metrics")
                                    .setCompression(compression)
                                    .build())
                            .setInterval(Duration.ofMillis(200))
                            .build())
                    .build())
            .setLoggerProvider(
                SdkLoggerProvider.builder()
                    .setResource(resource)
                    .addLogRecordProcessor(
                        SimpleLogRecordProcessor.create(
                            OtlpHttpLogRecordExporter.builder()
                                .setEndpoint(endpoint + "/v1/logs")
                                .setCompression(compression)
                                .build()))
                    .build())
            .build();
    String traceId;
    try {
      Span span =
          sdk.getTracer("test")
              .spanBuilder("llm.completion")
              .setAttribute(CALL_ID, "call-1")
              .startSpan();
      traceId = span.getSpanContext().getTraceId();
      try (Scope ignored = span.makeCurrent()) {
        sdk.getLogsBridge()
            .get("test")
            .logRecordBuilder()
            .setSeverity(Severity.WARN)
            .setSeverityText("WARN")
            .setBody("upstream failed")
            .setAttribute(CALL_ID, "call-1")
            .emit();
      }
      span.end();
      sdk.getMeter("test")
          .histogramBuilder("http.server.request.duration")
          .setUnit("s")
          .build()
          .record(
              0.25, Attributes.of(AttributeKey.stringKey("http.route"), "/v1/chat/completions"));
    } finally {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }

    assertThat(receiver.spansWithAttribute("luthien.call_id", "call-1"))
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.name()).isEqualTo("llm.completion");
              assertThat(span.traceId()).isEqualTo(traceId);
            });
    assertThat(receiver.metricNames()).contains("http.server.request.duration");
    assertThat(receiver.metricsNamed("http.server.request.duration").get(0).histogramPoints())
        .singleElement()
        .satisfies(point -> assertThat(point.getSum()).isEqualTo(0.25));
    assertThat(receiver.logsOfTrace(traceId))
        .singleElement()
        .satisfies(
            log -> {
              assertThat(log.body()).isEqualTo("upstream failed");
              assertThat(log.severityText()).isEqualTo("WARN");
              assertThat(log.attribute("luthien.call_id")).isEqualTo("call-1");
            });
    assertThat(receiver.resources())
        .isNotEmpty()
        .allSatisfy(
            attributes -> {
              assertThat(attributes)
                  .containsEntry("service.name", "receiver-test")
                  .containsEntry("service.instance.id", "i-1");
            });
    assertThat(receiver.contentEncodings())
        .isNotEmpty()
        .allMatch(encoding -> encoding.equals(compression.equals("gzip") ? "gzip" : "identity"));
  }

  @Test
  @DisplayName("a body that is not protobuf is refused with 415, an unknown path with 404")
  void refusesWhatIsNotOtlp() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> json =
        client.send(
            HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown =
        client.send(
            HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/profiles"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(receiver.spans()).isEmpty();
  }
}
