package io.luthien.recorder;

import static io.opentelemetry.api.common.AttributeKey.longKey;

import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The recorder's batch spans and write durations. A batch holds events of many calls, so its {@code
 * recorder.write_batch} span is a trace of its own, linked to the calls' spans that sent its
 * events.
 */
final class RecorderTelemetry {

  static final RecorderTelemetry NOOP = new RecorderTelemetry(OpenTelemetry.noop());

  /** Links per batch span at most (one per call); the SDK's default span limit is 128 links too. */
  static final int MAX_LINKS = 128;

  /**
   * Call ids in {@code luthien.call_ids} at most; {@code luthien.batch.calls} gives the real count.
   */
  static final int MAX_CALL_IDS = 128;

  /**
   * Distinct calls in the batch, whether or not all of them fit in the links and {@code
   * luthien.call_ids}.
   */
  static final AttributeKey<Long> BATCH_CALLS = longKey("luthien.batch.calls");

  private final Tracer tracer;
  private final DoubleHistogram writeDurations;

  RecorderTelemetry(OpenTelemetry openTelemetry) {
    tracer = openTelemetry.getTracer(TelemetryNames.SCOPE_RECORDER);
    writeDurations =
        openTelemetry
            .getMeter(TelemetryNames.SCOPE_RECORDER)
            .histogramBuilder(MetricNames.RECORDER_WRITE_DURATION)
            .setUnit("s")
            .setDescription(
                "Time one batch write attempt took (its transaction, or its one-by-one retries after a data error)")
            .setExplicitBucketBoundariesAdvice(MetricNames.FAST_DURATION_BUCKETS)
            .build();
  }

  /**
   * One attempt at writing {@code batch}, under a new {@code recorder.write_batch} span that links
   * to the calls' spans that sent its events and is current for the whole write, so the pg client's
   * spans are its children.
   */
  Future<Void> writeBatch(List<QueuedEvent> batch, Supplier<Future<Void>> write) {
    Span span = batchSpan(batch);
    long started = System.nanoTime();
    return TracedWork.run(Context.root().with(span), write)
        .onComplete(
            done -> {
              Attributes attributes = Attributes.empty();
              if (done.failed()) {
                attributes =
                    Attributes.of(TelemetryNames.ERROR_TYPE, done.cause().getClass().getName());
                span.setStatus(StatusCode.ERROR, LossLog.describe(done.cause()));
                span.recordException(done.cause());
              }
              writeDurations.record((System.nanoTime() - started) / 1e9, attributes);
              span.end();
            });
  }

  private Span batchSpan(List<QueuedEvent> batch) {
    Map<UUID, SpanContext> calls = new LinkedHashMap<>();
    for (QueuedEvent queued : batch) {
      SpanContext known = calls.get(queued.event().callId());
      if (known == null || !known.isValid()) {
        calls.put(queued.event().callId(), queued.callSpan());
      }
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(TelemetryNames.SPAN_RECORDER_WRITE_BATCH)
            .setNoParent()
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(TelemetryNames.BATCH_SIZE, (long) batch.size())
            .setAttribute(BATCH_CALLS, (long) calls.size());
    List<String> callIds = new ArrayList<>(Math.min(calls.size(), MAX_CALL_IDS));
    int links = 0;
    for (Map.Entry<UUID, SpanContext> call : calls.entrySet()) {
      if (callIds.size() < MAX_CALL_IDS) {
        callIds.add(call.getKey().toString());
      }
      if (links < MAX_LINKS && call.getValue().isValid()) {
        builder.addLink(
            call.getValue(), Attributes.of(TelemetryNames.CALL_ID, call.getKey().toString()));
        links++;
      }
    }
    return builder.setAttribute(TelemetryNames.CALL_IDS, callIds).startSpan();
  }
}
