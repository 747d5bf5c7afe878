package io.luthien.recorder;

import static io.luthien.recorder.RecorderFixture.activityEvent;
import static io.luthien.recorder.RecorderFixture.event;
import static io.luthien.recorder.Waiting.await;
import static io.luthien.recorder.Waiting.awaitOn;
import static io.luthien.recorder.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.Addresses;
import io.luthien.shared.DuplicatedContexts;
import io.luthien.shared.LocalServices;
import io.luthien.shared.telemetry.CallBaggage;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The recorder's spans and metrics, through its event-bus contract on a traced Vert.x, against the
 * machine's real PostgreSQL and Redis.
 */
class RecorderTelemetryTest {

  private static final Duration SOON = Duration.ofSeconds(10);

  private TestTelemetry telemetry;
  private Vertx vertx;

  @BeforeEach
  void start() {
    telemetry = TestTelemetry.start();
    vertx = telemetry.tracedVertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    telemetry.close();
  }

  @Test
  @DisplayName(
      "a batch holding two traced calls' events is one recorder.write_batch root span linking both calls' spans that sent them, with the pg statement as its child")
  void writeBatchSpan() {
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx,
            new JsonObject().put("RECORDER_BATCH_SIZE", "2").put("RECORDER_FLUSH_MS", "60000"),
            telemetry.openTelemetry());
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    Span firstCaller = callerSpan();
    Span secondCaller = callerSpan();

    recorder.record(event(first, "request", 0), Context.root().with(firstCaller));
    recorder.record(event(second, "request", 0), Context.root().with(secondCaller));
    until(SOON, "both events written", () -> recorder.stats().writtenEvents() == 2);

    SpanData batch = awaitSpan(TelemetryNames.SPAN_RECORDER_WRITE_BATCH);
    assertThat(batch.getParentSpanContext().isValid()).as("a trace of its own").isFalse();
    assertThat(batch.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(batch.getInstrumentationScopeInfo().getName())
        .isEqualTo(TelemetryNames.SCOPE_RECORDER);
    assertThat(batch.getAttributes().get(TelemetryNames.BATCH_SIZE)).isEqualTo(2L);
    assertThat(batch.getAttributes().get(TelemetryNames.CALL_IDS))
        .containsExactlyInAnyOrder(first.toString(), second.toString());
    assertThat(batch.getLinks())
        .extracting(link -> link.getSpanContext().getSpanId())
        .containsExactlyInAnyOrder(
            firstCaller.getSpanContext().getSpanId(), secondCaller.getSpanContext().getSpanId());
    assertThat(batch.getLinks())
        .extracting(link -> link.getAttributes().get(TelemetryNames.CALL_ID))
        .containsExactlyInAnyOrder(first.toString(), second.toString());
    assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    until(SOON, "the pg client's span", () -> !childrenOf(batch).isEmpty());
    assertThat(childrenOf(batch))
        .allSatisfy(
            query -> {
              assertThat(query.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(query.getAttributes().get(AttributeKey.stringKey("db.system")))
                  .isEqualTo("postgresql");
            });
    assertThat(childrenOf(batch))
        .extracting(query -> query.getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .as("one statement writes the batch: events and call rows")
        .singleElement()
        .satisfies(
            sql ->
                assertThat(sql)
                    .contains("INSERT INTO conversation_events")
                    .contains("INSERT INTO conversation_calls"));
  }

  @Test
  @DisplayName(
      "queue size, written events, write durations and malformed drops are metrics, unregistered when the recorder stops")
  void metrics() {
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx,
            new JsonObject().put("RECORDER_BATCH_SIZE", "3").put("RECORDER_FLUSH_MS", "60000"),
            telemetry.openTelemetry());
    UUID callId = UUID.randomUUID();

    recorder.record(event(callId, "request", 0));
    recorder.record(event(callId, "policy.checked", 1));
    until(SOON, "two events queued", () -> gauge(MetricNames.RECORDER_QUEUE_SIZE) == 2L);
    recorder.record(event(callId, "response", 2));
    until(
        SOON,
        "the batch written",
        () -> counter(MetricNames.RECORDER_EVENTS_WRITTEN, Attributes.empty()) == 3L);
    vertx.eventBus().send(Addresses.RECORDER_EVENTS, "not json");
    vertx
        .eventBus()
        .send(Addresses.RECORDER_EVENTS, event(callId, "request", 3).put("call_id", "not-a-uuid"));
    until(SOON, "two malformed messages counted", () -> dropped("malformed") == 2L);

    assertThat(gauge(MetricNames.RECORDER_QUEUE_SIZE)).isZero();
    assertThat(dropped("buffer_full")).isZero();
    assertThat(dropped("rejected")).isZero();
    HistogramPointData durations = histogramPoints(MetricNames.RECORDER_WRITE_DURATION).get(0);
    assertThat(durations.getCount()).isEqualTo(1);
    assertThat(durations.getAttributes().get(TelemetryNames.ERROR_TYPE)).isNull();
    assertThat(telemetry.metric(MetricNames.RECORDER_WRITE_DURATION).orElseThrow().getUnit())
        .isEqualTo("s");

    recorder.stop();
    assertThat(telemetry.metrics())
        .extracting(MetricData::getName)
        .doesNotContain(
            MetricNames.RECORDER_QUEUE_SIZE,
            MetricNames.RECORDER_EVENTS_WRITTEN,
            MetricNames.RECORDER_EVENTS_DROPPED,
            RecorderMetrics.ACTIVITY_RELAYED,
            RecorderMetrics.ACTIVITY_DROPPED);
  }

  @Test
  @DisplayName("events that find the buffer full are counted as dropped with reason buffer_full")
  void bufferFull() {
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx,
            new JsonObject()
                .put("RECORDER_BUFFER_MAX", "1")
                .put("RECORDER_BATCH_SIZE", "100")
                .put("RECORDER_FLUSH_MS", "60000"),
            telemetry.openTelemetry());
    UUID callId = UUID.randomUUID();

    for (int sequence = 0; sequence < 3; sequence++) {
      recorder.record(event(callId, "policy.chunk", sequence));
    }

    until(SOON, "two drops counted", () -> dropped("buffer_full") == 2L);
    assertThat(gauge(MetricNames.RECORDER_QUEUE_SIZE)).isEqualTo(1L);
  }

  @Test
  @DisplayName(
      "a failed batch write is an ERROR span with the exception and a duration with error.type; the retry is a span of its own, and each ran with its span current")
  void failedWrite() {
    List<SpanContext> currentDuringWrite = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    EventStore flaky =
        batch ->
            vertx
                .timer(5, TimeUnit.MILLISECONDS)
                .compose(
                    later -> {
                      currentDuringWrite.add(Span.current().getSpanContext());
                      return attempts.getAndIncrement() == 0
                          ? Future.failedFuture(new IllegalStateException("connection refused"))
                          : Future.succeededFuture();
                    });
    RecorderStats stats = new RecorderStats();
    BatchWriter writer =
        new BatchWriter(
            vertx,
            flaky,
            new RecorderSettings(null, null, 10, 5, 100, 20, 100, 1_000),
            stats,
            new RecorderTelemetry(telemetry.openTelemetry()));

    awaitOn(
        DuplicatedContexts.fresh(vertx),
        () -> {
          writer.add(RecordedEvent.fromJson(event(UUID.randomUUID(), "request", 0)));
          return Future.succeededFuture();
        });
    until(SOON, "the retry written", () -> stats.writtenEvents() == 1);

    until(SOON, "two batch spans", () -> batchSpans().size() == 2);
    SpanData failed = batchSpans().get(0);
    SpanData retried = batchSpans().get(1);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getEvents())
        .singleElement()
        .satisfies(
            exception ->
                assertThat(
                        exception.getAttributes().get(AttributeKey.stringKey("exception.message")))
                    .isEqualTo("connection refused"));
    assertThat(retried.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(retried.getTraceId()).isNotEqualTo(failed.getTraceId());
    assertThat(currentDuringWrite)
        .as("the batch span is current even after the store's own async hop")
        .containsExactly(failed.getSpanContext(), retried.getSpanContext());
    assertThat(histogramPoints(MetricNames.RECORDER_WRITE_DURATION))
        .extracting(point -> point.getAttributes().get(TelemetryNames.ERROR_TYPE))
        .containsExactlyInAnyOrder(IllegalStateException.class.getName(), null);
  }

  @Test
  @DisplayName(
      "with Redis, an activity event is relayed and counted, untraced: no span for the event-bus hop or the PUBLISH")
  void activityIsUntraced() {
    LocalServices.ensureRedisUp();
    RecorderFixture recorder =
        RecorderFixture.start(
            vertx,
            new JsonObject().put("REDIS_URL", RedisSubscriber.URL),
            telemetry.openTelemetry());
    UUID callId = UUID.randomUUID();
    Span caller = callerSpan();

    asCall(caller, callId, () -> recorder.activity(activityEvent(callId, "hello")));
    until(
        SOON,
        "the event relayed",
        () -> counter(RecorderMetrics.ACTIVITY_RELAYED, Attributes.empty()) == 1L);
    caller.end();

    until(SOON, "the caller's span exported", () -> telemetry.span("test.caller").isPresent());
    assertThat(telemetry.spans()).extracting(SpanData::getName).containsExactly("test.caller");
    assertThat(counter(RecorderMetrics.ACTIVITY_DROPPED, Attributes.empty())).isZero();
  }

  // --- the gateway's side: sends made with the call's span and baggage current, on a Vert.x
  // context ---

  private Span callerSpan() {
    return telemetry
        .openTelemetry()
        .getTracer("test")
        .spanBuilder("test.caller")
        .setNoParent()
        .startSpan();
  }

  private void asCall(Span caller, UUID callId, Runnable send) {
    awaitOn(
        DuplicatedContexts.fresh(vertx),
        () -> {
          try (Scope ignored =
              CallBaggage.withCallId(Context.root().with(caller), callId.toString())
                  .makeCurrent()) {
            send.run();
          }
          return Future.succeededFuture();
        });
  }

  // --- reading the telemetry ---

  private SpanData awaitSpan(String name) {
    until(SOON, "a " + name + " span", () -> telemetry.span(name).isPresent());
    return telemetry.span(name).orElseThrow();
  }

  private List<SpanData> batchSpans() {
    return telemetry.spans(span -> span.getName().equals(TelemetryNames.SPAN_RECORDER_WRITE_BATCH));
  }

  private List<SpanData> childrenOf(SpanData parent) {
    return telemetry.spans(
        span ->
            span.getParentSpanId().equals(parent.getSpanId())
                && span.getTraceId().equals(parent.getTraceId()));
  }

  private Optional<LongPointData> longPoint(String name, Attributes attributes) {
    return telemetry
        .metric(name)
        .flatMap(
            metric -> {
              var points =
                  switch (metric.getType()) {
                    case LONG_GAUGE -> metric.getLongGaugeData().getPoints();
                    case LONG_SUM -> metric.getLongSumData().getPoints();
                    default -> throw new AssertionError(name + " is a " + metric.getType());
                  };
              return points.stream()
                  .filter(point -> point.getAttributes().equals(attributes))
                  .findFirst();
            });
  }

  private long gauge(String name) {
    return longPoint(name, Attributes.empty()).map(LongPointData::getValue).orElse(-1L);
  }

  private long counter(String name, Attributes attributes) {
    return longPoint(name, attributes).map(LongPointData::getValue).orElse(-1L);
  }

  private long dropped(String reason) {
    return counter(
        MetricNames.RECORDER_EVENTS_DROPPED, Attributes.of(TelemetryNames.DROP_REASON, reason));
  }

  private List<HistogramPointData> histogramPoints(String name) {
    return List.copyOf(
        telemetry
            .metric(name)
            .orElseThrow(() -> new AssertionError("no " + name))
            .getHistogramData()
            .getPoints());
  }
}
