package io.luthien.launcher.telemetry;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver for tests: {@code POST /v1/traces}, {@code /v1/metrics} and {@code
 * /v1/logs} with protobuf bodies (gzip when {@code Content-Encoding: gzip}), answered with the
 * matching {@code Export*Response} the way a collector does. Everything received is kept, flattened
 * to one entry per span, metric and log record together with its resource; all lists are safe to
 * read while exports arrive.
 */
public final class OtlpReceiver {

  private static final String PROTOBUF = "application/x-protobuf";

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
  private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
  private final List<String> contentEncodings = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private OtlpReceiver() {}

  public static Future<OtlpReceiver> start(Vertx vertx) {
    OtlpReceiver receiver = new OtlpReceiver();
    return vertx
        .createHttpServer()
        .requestHandler(receiver::handle)
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              receiver.server = server;
              return receiver;
            });
  }

  /**
   * What {@code OTEL_EXPORTER_OTLP_ENDPOINT} should be; the exporters append {@code /v1/<signal>}.
   */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Every request that reached the receiver, whatever its path or body. */
  public int requestCount() {
    return requests.get();
  }

  /** The {@code Content-Encoding} of each accepted export ({@code identity} when none). */
  public List<String> contentEncodings() {
    return List.copyOf(contentEncodings);
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<ReceivedSpan> spansWithAttribute(String key, String value) {
    return spans.stream().filter(span -> value.equals(span.attribute(key))).toList();
  }

  public List<ReceivedSpan> spansNamed(String name) {
    return spans.stream().filter(span -> span.name().equals(name)).toList();
  }

  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  public List<ReceivedMetric> metrics() {
    return List.copyOf(metrics);
  }

  public Set<String> metricNames() {
    return metrics.stream()
        .map(ReceivedMetric::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  public List<ReceivedMetric> metricsNamed(String name) {
    return metrics.stream().filter(metric -> metric.name().equals(name)).toList();
  }

  public List<ReceivedLog> logs() {
    return List.copyOf(logs);
  }

  public List<ReceivedLog> logsOfTrace(String traceId) {
    return logs.stream().filter(log -> log.traceId().equals(traceId)).toList();
  }

  /** The distinct resources anything arrived with, each as its attributes. */
  public Set<Map<String, String>> resources() {
    Set<Map<String, String>> resources = new LinkedHashSet<>();
    spans.forEach(span -> resources.add(span.resource()));
    metrics.forEach(metric -> resources.add(metric.resource()));
    logs.forEach(log -> resources.add(log.resource()));
    return resources;
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    Signal signal = Signal.of(request.path());
    if (!request.method().equals(HttpMethod.POST) || signal == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith(PROTOBUF)) {
      request.response().setStatusCode(415).end("only " + PROTOBUF + " is accepted");
      return;
    }
    String encoding = request.getHeader("Content-Encoding");
    request
        .body()
        .onSuccess(
            body -> {
              MessageLite reply;
              try {
                reply = accept(signal, decompress(body, encoding));
              } catch (IOException e) {
                request
                    .response()
                    .setStatusCode(400)
                    .end("cannot decode the export: " + e.getMessage());
                return;
              }
              contentEncodings.add(encoding == null ? "identity" : encoding);
              request
                  .response()
                  .setStatusCode(200)
                  .putHeader("Content-Type", PROTOBUF)
                  .end(Buffer.buffer(reply.toByteArray()));
            })
        .onFailure(
            clientLeft -> {}); // the client hung up before its body was in: nobody left to answer
  }

  private static byte[] decompress(Buffer body, String encoding) throws IOException {
    if (encoding == null || encoding.equalsIgnoreCase("identity")) {
      return body.getBytes();
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw new IOException("unsupported Content-Encoding " + encoding);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      return in.readAllBytes();
    }
  }

  private MessageLite accept(Signal signal, byte[] body) throws InvalidProtocolBufferException {
    switch (signal) {
      case TRACES -> {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body);
        export
            .getResourceSpansList()
            .forEach(
                resourceSpans ->
                    resourceSpans
                        .getScopeSpansList()
                        .forEach(
                            scope ->
                                scope
                                    .getSpansList()
                                    .forEach(
                                        span ->
                                            spans.add(
                                                new ReceivedSpan(
                                                    attributes(resourceSpans.getResource()),
                                                    scope.getScope().getName(),
                                                    span)))));
        return ExportTraceServiceResponse.getDefaultInstance();
      }
      case METRICS -> {
        ExportMetricsServiceRequest export = ExportMetricsServiceRequest.parseFrom(body);
        export
            .getResourceMetricsList()
            .forEach(
                resourceMetrics ->
                    resourceMetrics
                        .getScopeMetricsList()
                        .forEach(
                            scope ->
                                scope
                                    .getMetricsList()
                                    .forEach(
                                        metric ->
                                            metrics.add(
                                                new ReceivedMetric(
                                                    attributes(resourceMetrics.getResource()),
                                                    scope.getScope().getName(),
                                                    metric)))));
        return ExportMetricsServiceResponse.getDefaultInstance();
      }
      case LOGS -> {
        ExportLogsServiceRequest export = ExportLogsServiceRequest.parseFrom(body);
        export
            .getResourceLogsList()
            .forEach(
                resourceLogs ->
                    resourceLogs
                        .getScopeLogsList()
                        .forEach(
                            scope ->
                                scope
                                    .getLogRecordsList()
                                    .forEach(
                                        record ->
                                            logs.add(
                                                new ReceivedLog(
                                                    attributes(resourceLogs.getResource()),
                                                    scope.getScope().getName(),
                                                    record)))));
        return ExportLogsServiceResponse.getDefaultInstance();
      }
      default -> throw new IllegalStateException(signal.name());
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  /** Attributes as text: arrays become {@code [a, b]}, as the OTel API prints them. */
  static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> attributes = new LinkedHashMap<>();
    keyValues.forEach(keyValue -> attributes.put(keyValue.getKey(), text(keyValue.getValue())));
    return Map.copyOf(attributes);
  }

  static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> String.valueOf(value.getBoolValue());
      case INT_VALUE -> String.valueOf(value.getIntValue());
      case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream()
              .map(OtlpReceiver::text)
              .collect(Collectors.joining(", ", "[", "]"));
      case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList()).toString();
      case BYTES_VALUE -> hex(value.getBytesValue().toByteArray());
      default -> "";
    };
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private enum Signal {
    TRACES,
    METRICS,
    LOGS;

    static Signal of(String path) {
      return switch (path) {
        case "/v1/traces" -> TRACES;
        case "/v1/metrics" -> METRICS;
        case "/v1/logs" -> LOGS;
        default -> null;
      };
    }
  }

  /** One span, with the resource and instrumentation scope it was exported under. */
  public record ReceivedSpan(Map<String, String> resource, String scope, Span span) {

    public String name() {
      return span.getName();
    }

    /** Lower-case hex, as in W3C {@code traceparent} and in the node's log lines. */
    public String traceId() {
      return hex(span.getTraceId().toByteArray());
    }

    public String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    public String parentSpanId() {
      return hex(span.getParentSpanId().toByteArray());
    }

    public Span.SpanKind kind() {
      return span.getKind();
    }

    public Map<String, String> attributes() {
      return OtlpReceiver.attributes(span.getAttributesList());
    }

    /** Null when the span does not have it. */
    public String attribute(String key) {
      return attributes().get(key);
    }

    public List<String> linkedTraceIds() {
      return span.getLinksList().stream()
          .map(link -> hex(link.getTraceId().toByteArray()))
          .toList();
    }

    @Override
    public String toString() {
      return name() + " " + kind() + " trace " + traceId() + " " + attributes();
    }
  }

  /** One metric (all its data points), with the resource and scope it was exported under. */
  public record ReceivedMetric(Map<String, String> resource, String scope, Metric metric) {

    public String name() {
      return metric.getName();
    }

    /** The histogram points of this export, empty for other kinds of metric. */
    public List<HistogramDataPoint> histogramPoints() {
      return metric.hasHistogram() ? metric.getHistogram().getDataPointsList() : List.of();
    }

    @Override
    public String toString() {
      return name() + " (" + metric.getDataCase() + ", scope " + scope + ")";
    }
  }

  /** One log record, with the resource and scope it was exported under. */
  public record ReceivedLog(Map<String, String> resource, String scope, LogRecord record) {

    /** Empty when the record was not logged inside a span. */
    public String traceId() {
      return hex(record.getTraceId().toByteArray());
    }

    public String spanId() {
      return hex(record.getSpanId().toByteArray());
    }

    public String severityText() {
      return record.getSeverityText();
    }

    public String body() {
      return text(record.getBody());
    }

    public Map<String, String> attributes() {
      return OtlpReceiver.attributes(record.getAttributesList());
    }

    public String attribute(String key) {
      return attributes().get(key);
    }

    @Override
    public String toString() {
      return severityText() + " " + body() + " trace " + traceId() + " " + attributes();
    }
  }
}
