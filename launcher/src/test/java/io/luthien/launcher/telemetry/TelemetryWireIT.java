package io.luthien.launcher.telemetry;

import static io.luthien.launcher.telemetry.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.FakeUpstream;
import io.luthien.launcher.telemetry.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fat jar as it runs in production, exporting over OTLP/HTTP (protobuf, gzip) to a real
 * receiver: three calls through the gateway to a fake OpenAI upstream (one whole, one streamed, one
 * the upstream fails) and what arrives for each of them — traces, metrics, log records — plus the
 * node's own JSON log lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryWireIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(20);
  private static final String MODEL = "gpt-wire-test";
  private static final String SERVER_SPAN = "POST /v1/chat/completions";

  private Vertx vertx;
  private OtlpReceiver receiver;
  private FakeUpstream upstream;
  private NodeProcess node;
  private String wholeCallId;
  private String streamCallId;
  private String failedCallId;

  @BeforeAll
  void startNodeAndMakeCalls() throws IOException {
    vertx = Vertx.vertx();
    receiver = await(OtlpReceiver.start(vertx));
    upstream = await(FakeUpstream.start(vertx)).streamChunks(3, 0);
    node =
        NodeProcess.start(
            "telemetry-wire",
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "OTEL_METRIC_EXPORT_INTERVAL", "500",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "OTEL_BLRP_SCHEDULE_DELAY", "100",
                "LOG_FORMAT", "json",
                "OPENAI_BASE_URL", upstream.baseUrl(),
                "OPENAI_API_KEY", "sk-wire-test"));

    wholeCallId = callId(node.chat(MODEL, "a whole answer", false), 200);
    streamCallId = callId(node.chat(MODEL, "a streamed answer", true), 200);
    upstream.failWith(
        500,
        "{\"error\":{\"message\":\"upstream broke\",\"type\":\"server_error\",\"code\":null}}");
    try {
      failedCallId = callId(node.chat(MODEL, "an answer that fails", false), 500);
    } finally {
      upstream.failWith(0, "");
    }
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (node != null) {
        dumpReceived();
        node.close();
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "a whole completion is one trace of four spans, every one carrying the X-Call-ID: the server span, "
          + "and under it the policy's two hooks and the upstream call; no event-bus spans")
  void wholeCompletionIsOneTrace() {
    List<ReceivedSpan> trace =
        awaitTrace(
            wholeCallId,
            Set.of(
                SERVER_SPAN,
                "policy.process_request",
                "policy.process_response",
                "llm.completion"));

    assertThat(trace)
        .allSatisfy(
            span ->
                assertThat(span.attribute("luthien.call_id"))
                    .as(span.toString())
                    .isEqualTo(wholeCallId));
    assertThat(trace)
        .filteredOn(span -> span.name().equals(SERVER_SPAN))
        .singleElement()
        .satisfies(
            server -> {
              assertThat(server.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
              assertThat(server.parentSpanId()).as("the server span is the root").isEmpty();
              assertThat(server.attribute("http.route")).isEqualTo("/v1/chat/completions");
            });
    assertThat(trace)
        .filteredOn(span -> span.name().equals("llm.completion"))
        .singleElement()
        .satisfies(
            llm -> {
              assertThat(llm.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
              assertThat(llm.attribute("gen_ai.request.model")).isEqualTo(MODEL);
              assertThat(llm.attribute("gen_ai.usage.input_tokens")).isEqualTo("7");
              assertThat(llm.attribute("gen_ai.usage.output_tokens")).isEqualTo("4");
            });
    ReceivedSpan server =
        trace.stream().filter(span -> span.name().equals(SERVER_SPAN)).findFirst().orElseThrow();
    assertThat(trace)
        .filteredOn(span -> !span.name().equals(SERVER_SPAN))
        .as("the hooks and the upstream call hang under the server span")
        .allSatisfy(span -> assertThat(span.parentSpanId()).isEqualTo(server.spanId()));
  }

  @Test
  @DisplayName(
      "a streamed completion is one trace with the stream's policy span and the upstream call")
  void streamedCompletionIsOneTrace() {
    List<ReceivedSpan> trace =
        awaitTrace(
            streamCallId,
            Set.of(
                SERVER_SPAN, "policy.process_request", "policy.process_stream", "llm.completion"));

    assertThat(trace)
        .allSatisfy(
            span ->
                assertThat(span.attribute("luthien.call_id"))
                    .as(span.toString())
                    .isEqualTo(streamCallId));
    assertThat(trace)
        .filteredOn(span -> span.name().equals("llm.completion"))
        .singleElement()
        .satisfies(llm -> assertThat(llm.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT));
    assertThat(trace)
        .as("the call is marked as streamed")
        .anySatisfy(span -> assertThat(span.attribute("luthien.stream.enabled")).isEqualTo("true"));
  }

  @Test
  @DisplayName(
      "the recorder writes a call's events in a trace of its own, linked to the call's trace")
  void recorderBatchIsLinkedToTheCall() {
    String callTrace = traceIdOf(wholeCallId);
    Waits.until(
        "a recorder.write_batch span linked to trace " + callTrace,
        ARRIVAL,
        () ->
            receiver.spansNamed("recorder.write_batch").stream()
                .anyMatch(batch -> batch.linkedTraceIds().contains(callTrace)),
        () -> receiver.spansNamed("recorder.write_batch"));

    assertThat(receiver.spansNamed("recorder.write_batch"))
        .filteredOn(batch -> batch.linkedTraceIds().contains(callTrace))
        .allSatisfy(
            batch -> {
              assertThat(batch.traceId()).isNotEqualTo(callTrace);
              assertThat(batch.attribute("luthien.call_ids")).contains(wholeCallId);
            });
  }

  @Test
  @DisplayName(
      "the request duration counts the three calls, and the upstream call duration and token usage arrive")
  void metricsArrive() {
    Waits.until(
        "http.server.request.duration counts the three completions",
        ARRIVAL,
        () -> completionsCounted() >= 3,
        receiver::metricNames);

    assertThat(completionsCounted()).as("requests counted on /v1/chat/completions").isEqualTo(3);
    assertThat(receiver.metricNames())
        .contains(
            "http.server.request.duration",
            "gen_ai.client.operation.duration",
            "gen_ai.client.token.usage");
    assertThat(receiver.metricsNamed("gen_ai.client.operation.duration"))
        .anySatisfy(metric -> assertThat(metric.histogramPoints()).isNotEmpty());
  }

  @Test
  @DisplayName(
      "the failed call's WARN reaches OTLP with its trace and call id, and stdout has the same line in JSON")
  void failedCallIsLoggedInItsTrace() {
    String failedTrace = traceIdOf(failedCallId);
    Waits.until(
        "an OTLP log record in trace " + failedTrace,
        ARRIVAL,
        () -> !receiver.logsOfTrace(failedTrace).isEmpty(),
        receiver::logs);

    assertThat(receiver.logsOfTrace(failedTrace))
        .anySatisfy(
            log -> {
              assertThat(log.severityText()).isEqualTo("WARN");
              assertThat(log.attribute("luthien.call_id")).isEqualTo(failedCallId);
              assertThat(log.spanId()).isNotEmpty();
            });
    Waits.until(
        "a JSON log line on stdout naming call " + failedCallId,
        ARRIVAL,
        () ->
            node.jsonLogLines().stream()
                .anyMatch(line -> failedCallId.equals(line.getString("call_id"))),
        node::tail);
    assertThat(node.jsonLogLines())
        .filteredOn(line -> failedCallId.equals(line.getString("call_id")))
        .anySatisfy(
            line -> {
              assertThat(line.getString("level")).isEqualTo("WARN");
              assertThat(line.getString("trace_id")).isEqualTo(failedTrace);
              assertThat(line.getString("span_id")).isNotBlank();
            });
  }

  @Test
  @DisplayName(
      "everything arrives under the node's resource: service name, version and instance id")
  void resourceNamesTheNode() {
    Waits.until(
        "spans, metrics and logs",
        ARRIVAL,
        () ->
            !receiver.spans().isEmpty()
                && !receiver.metrics().isEmpty()
                && !receiver.logs().isEmpty(),
        receiver::resources);

    assertThat(receiver.resources())
        .singleElement()
        .satisfies(
            resource -> {
              assertThat(resource).containsEntry("service.name", "luthien");
              assertThat(resource.get("service.version")).isNotBlank();
              assertThat(resource.get("service.instance.id")).isNotBlank();
            });
    assertThat(receiver.contentEncodings())
        .as("OTEL_EXPORTER_OTLP_COMPRESSION=gzip is honoured")
        .containsOnly("gzip");
  }

  @Test
  @DisplayName("the exporters run on their own threads (what TelemetryOffIT checks are absent)")
  void exporterThreadsRun() {
    String threads = node.threadDump();

    assertThat(TelemetryThreads.namesIn(threads))
        .as(threads)
        .isNotEmpty()
        .anyMatch(name -> name.startsWith("BatchSpanProcessor"))
        .anyMatch(name -> name.startsWith("PeriodicMetricReader"));
  }

  private static String callId(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    String callId = response.headers().firstValue("X-Call-ID").orElse(null);
    assertThat(callId).as("X-Call-ID").isNotBlank();
    return callId;
  }

  private String traceIdOf(String callId) {
    Waits.until(
        "a span of call " + callId,
        ARRIVAL,
        () -> !receiver.spansWithAttribute("luthien.call_id", callId).isEmpty(),
        receiver::spans);
    Set<String> traces =
        receiver.spansWithAttribute("luthien.call_id", callId).stream()
            .map(ReceivedSpan::traceId)
            .collect(Collectors.toSet());
    assertThat(traces).as("the traces of call " + callId).hasSize(1);
    return traces.iterator().next();
  }

  /**
   * Waits until the call's trace has the named spans, then returns the whole trace (every span with
   * its trace id, whatever attributes it has), which must be those spans and no others.
   */
  private List<ReceivedSpan> awaitTrace(String callId, Set<String> names) {
    String traceId = traceIdOf(callId);
    Waits.until(
        "trace " + traceId + " has " + names,
        ARRIVAL,
        () ->
            receiver.trace(traceId).stream()
                .map(ReceivedSpan::name)
                .collect(Collectors.toSet())
                .containsAll(names),
        () -> receiver.trace(traceId));
    List<ReceivedSpan> trace = receiver.trace(traceId);
    assertThat(trace).extracting(ReceivedSpan::name).containsExactlyInAnyOrderElementsOf(names);
    return trace;
  }

  /**
   * The requests {@code http.server.request.duration} counted on the completions route: the points
   * are cumulative, one series per attribute set (status 200 and 500 apart), so the latest count of
   * each series, summed.
   */
  private long completionsCounted() {
    Map<Map<String, String>, Long> latestCountPerSeries =
        receiver.metricsNamed("http.server.request.duration").stream()
            .flatMap(metric -> metric.histogramPoints().stream())
            .filter(
                point ->
                    "/v1/chat/completions"
                        .equals(
                            OtlpReceiver.attributes(point.getAttributesList()).get("http.route")))
            .collect(
                Collectors.toMap(
                    point -> OtlpReceiver.attributes(point.getAttributesList()),
                    point -> point.getCount(),
                    Math::max));
    return latestCountPerSeries.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What arrived, for reading when a test fails: target/it/telemetry-wire/received.txt. */
  private void dumpReceived() throws IOException {
    StringBuilder out =
        new StringBuilder(
            "calls: whole "
                + wholeCallId
                + ", stream "
                + streamCallId
                + ", failed "
                + failedCallId
                + "\n\nresources:\n");
    receiver.resources().forEach(resource -> out.append(resource).append('\n'));
    out.append("\nspans:\n");
    receiver
        .spans()
        .forEach(
            span ->
                out.append(span)
                    .append(" parent ")
                    .append(span.parentSpanId())
                    .append(" links ")
                    .append(span.linkedTraceIds())
                    .append('\n'));
    out.append("\nmetrics:\n");
    receiver.metricNames().forEach(name -> out.append(name).append('\n'));
    out.append("\nlogs:\n");
    receiver.logs().forEach(log -> out.append(log).append('\n'));
    Files.writeString(
        NodeProcess.itDirectory().resolve("telemetry-wire").resolve("received.txt"), out);
  }
}
