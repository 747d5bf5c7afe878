package io.luthien.recorder;

import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * The recorder's observable metrics, read from {@link RecorderStats} when they are collected. Every
 * recorder verticle of a JVM ({@code RECORDER_INSTANCES}) reports into the same instruments and
 * they are summed: an observable instrument takes one value per attribute set and collection, so
 * one callback per instance would have the SDK drop all but one instance's numbers. The counters
 * keep what a stopped instance counted, so they never go down while the node runs; the instruments
 * are unregistered with the last instance.
 */
final class RecorderMetrics {

  /** Activity events handed to the live feed. */
  static final String ACTIVITY_RELAYED = "luthien.recorder.activity.relayed";

  /** Activity events the live feed could not take (or that were not JSON objects). */
  static final String ACTIVITY_DROPPED = "luthien.recorder.activity.dropped";

  /** Recorded calls the retention purge deleted. */
  static final String CALLS_PURGED = "luthien.recorder.calls.purged";

  /** Completed calls the webhook receiver took. */
  static final String WEBHOOK_DELIVERED = "luthien.recorder.webhook.delivered";

  /** Completed calls not delivered to the webhook, by {@code luthien.drop.reason}. */
  static final String WEBHOOK_DROPPED = "luthien.recorder.webhook.dropped";

  /** Completed calls waiting for their webhook POST, including those under way. */
  static final String WEBHOOK_QUEUE_SIZE = "luthien.recorder.webhook.queue.size";

  private static final Attributes BUFFER_FULL =
      Attributes.of(TelemetryNames.DROP_REASON, "buffer_full");
  private static final Attributes MALFORMED =
      Attributes.of(TelemetryNames.DROP_REASON, "malformed");
  private static final Attributes REJECTED = Attributes.of(TelemetryNames.DROP_REASON, "rejected");
  private static final Attributes UNSTORABLE =
      Attributes.of(TelemetryNames.DROP_REASON, "unstorable");

  private static final IdentityHashMap<Meter, RecorderMetrics> BY_METER = new IdentityHashMap<>();

  private final List<RecorderStats> instances = new CopyOnWriteArrayList<>();
  private final List<RecorderStats> stopped = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> instruments;

  private RecorderMetrics(Meter meter) {
    instruments =
        List.of(
            meter
                .gaugeBuilder(MetricNames.RECORDER_QUEUE_SIZE)
                .ofLongs()
                .setUnit("{event}")
                .setDescription(
                    "Events waiting in memory for their batch, including the batch being written")
                .buildWithCallback(
                    measurement -> measurement.record(running(RecorderStats::queueSize))),
            meter
                .counterBuilder(MetricNames.RECORDER_EVENTS_WRITTEN)
                .setUnit("{event}")
                .setDescription("Events in committed batches")
                .buildWithCallback(
                    measurement -> measurement.record(sum(RecorderStats::writtenEvents))),
            meter
                .counterBuilder(MetricNames.RECORDER_EVENTS_DROPPED)
                .setUnit("{event}")
                .setDescription("Events not written, by luthien.drop.reason")
                .buildWithCallback(this::observeDrops),
            meter
                .counterBuilder(ACTIVITY_RELAYED)
                .setUnit("{event}")
                .setDescription("Activity events handed to the live feed")
                .buildWithCallback(
                    measurement -> measurement.record(sum(RecorderStats::relayedActivity))),
            meter
                .counterBuilder(ACTIVITY_DROPPED)
                .setUnit("{event}")
                .setDescription("Activity events the live feed could not take")
                .buildWithCallback(
                    measurement -> measurement.record(sum(RecorderStats::droppedActivity))),
            meter
                .counterBuilder(CALLS_PURGED)
                .setUnit("{call}")
                .setDescription("Recorded calls the retention purge deleted")
                .buildWithCallback(
                    measurement -> measurement.record(sum(RecorderStats::purgedCalls))),
            meter
                .counterBuilder(WEBHOOK_DELIVERED)
                .setUnit("{call}")
                .setDescription("Completed calls the webhook receiver took")
                .buildWithCallback(
                    measurement -> measurement.record(sum(RecorderStats::webhookDelivered))),
            meter
                .counterBuilder(WEBHOOK_DROPPED)
                .setUnit("{call}")
                .setDescription(
                    "Completed calls not delivered to the webhook, by luthien.drop.reason")
                .buildWithCallback(this::observeWebhookDrops),
            meter
                .gaugeBuilder(WEBHOOK_QUEUE_SIZE)
                .ofLongs()
                .setUnit("{call}")
                .setDescription(
                    "Completed calls waiting for their webhook POST, including those under way")
                .buildWithCallback(
                    measurement -> measurement.record(running(RecorderStats::webhookQueued))));
  }

  /** One instance's reporting; closing it (when the verticle stops) unregisters it. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Reports {@code stats} until the returned registration is closed. */
  static synchronized Registration register(Meter meter, RecorderStats stats) {
    RecorderMetrics metrics = BY_METER.computeIfAbsent(meter, RecorderMetrics::new);
    metrics.instances.add(stats);
    return () -> unregister(meter, metrics, stats);
  }

  private static synchronized void unregister(
      Meter meter, RecorderMetrics metrics, RecorderStats stats) {
    if (!metrics.instances.remove(stats)) {
      return;
    }
    if (metrics.instances.isEmpty()) {
      BY_METER.remove(meter);
      metrics.instruments.forEach(RecorderMetrics::unregister);
    } else {
      metrics.stopped.add(stats);
    }
  }

  private void observeDrops(ObservableLongMeasurement measurement) {
    measurement.record(sum(RecorderStats::droppedEvents), BUFFER_FULL);
    measurement.record(sum(RecorderStats::malformedEvents), MALFORMED);
    measurement.record(sum(RecorderStats::rejectedEvents), REJECTED);
    measurement.record(sum(RecorderStats::unstorableEvents), UNSTORABLE);
  }

  private void observeWebhookDrops(ObservableLongMeasurement measurement) {
    webhookDrop(measurement, WebhookDrop.QUEUE_FULL, RecorderStats::webhookQueueFull);
    webhookDrop(measurement, WebhookDrop.RETRIES_EXHAUSTED, RecorderStats::webhookRetriesExhausted);
    webhookDrop(measurement, WebhookDrop.REJECTED, RecorderStats::webhookRejected);
    webhookDrop(measurement, WebhookDrop.UNREADABLE, RecorderStats::webhookUnreadable);
    webhookDrop(measurement, WebhookDrop.STOPPED, RecorderStats::webhookStopped);
  }

  private void webhookDrop(
      ObservableLongMeasurement measurement,
      WebhookDrop reason,
      ToLongFunction<RecorderStats> value) {
    measurement.record(sum(value), Attributes.of(TelemetryNames.DROP_REASON, reason.reason()));
  }

  /** A counter: what the running instances and the stopped ones counted. */
  private long sum(ToLongFunction<RecorderStats> value) {
    return running(value) + total(stopped, value);
  }

  private long running(ToLongFunction<RecorderStats> value) {
    return total(instances, value);
  }

  private static long total(List<RecorderStats> of, ToLongFunction<RecorderStats> value) {
    long total = 0;
    for (RecorderStats stats : of) {
      total += value.applyAsLong(stats);
    }
    return total;
  }

  private static void unregister(AutoCloseable instrument) {
    try {
      instrument.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not unregister a recorder metric callback", e);
    }
  }
}
