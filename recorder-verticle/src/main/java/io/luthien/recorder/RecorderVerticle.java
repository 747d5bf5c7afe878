package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.StorageSchema;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.luthien.shared.telemetry.BusTrace;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every call's events in PostgreSQL ({@link Addresses#RECORDER_EVENTS}, in batches) and
 * relays live activity ({@link Addresses#ACTIVITY_EVENTS}) to Redis pub/sub or the event bus.
 * Configuration keys and defaults: {@link RecorderSettings}; write guarantees: the package
 * documentation.
 */
public final class RecorderVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RecorderVerticle.class);

  private final RecorderStats stats = new RecorderStats();
  private final LossLog malformed = new LossLog(log, "malformed recorder events");
  private final LossLog unencodable =
      new LossLog(log, "recorder events whose payload cannot be encoded");
  private final Set<Future<RecordedEvent>> encoding = new HashSet<>();
  private RecorderSettings settings;
  private Pool pool;
  private BatchWriter writer;
  private ActivityPublisher publisher;
  private MessageConsumer<Object> events;
  private MessageConsumer<Object> activity;
  private MessageConsumer<Object> exchanges;
  private RecorderMetrics.Registration metrics;
  private RetentionPurge purge;
  private FlowControl flowControl;
  private WebhookSender webhook;

  private final OpenTelemetry openTelemetry;
  private final RecorderTelemetry telemetry;

  /** Without telemetry (tests, or {@code OTEL_ENABLED=false}). */
  public RecorderVerticle() {
    this(OpenTelemetry.noop());
  }

  public RecorderVerticle(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.telemetry = new RecorderTelemetry(openTelemetry);
  }

  /** The running numbers (queue size, written, dropped, ...), readable from any thread. */
  public RecorderStats stats() {
    return stats;
  }

  @Override
  public Future<?> start() {
    settings = RecorderSettings.from(config());
    return StorageSchema.prepare(vertx, settings.database())
        .compose(
            migrated -> {
              pool =
                  PgBuilder.pool()
                      .with(new PoolOptions().setMaxSize(poolSize(settings)))
                      .connectingTo(tracedQueries(settings.database().connectOptions()))
                      .using(vertx)
                      .build();
              writer =
                  new BatchWriter(
                      vertx,
                      new IsolatingStore(new PgEventStore(pool), stats),
                      settings,
                      stats,
                      telemetry,
                      completedCalls());
              return activityPublisher();
            })
        .compose(this::consume)
        .onSuccess(ready -> purgeOldCalls())
        .onSuccess(
            ready -> {
              flowControl = new FlowControl(vertx, stats);
              flowControl.start();
            })
        .onSuccess(
            ready ->
                metrics =
                    RecorderMetrics.register(
                        openTelemetry.getMeter(TelemetryNames.SCOPE_RECORDER), stats))
        .onSuccess(
            ready ->
                log.debug(
                    "recorder writing to {} in batches of up to {} events / {} bytes, {} at once (buffer {} events / {} bytes), activity to {}, {}, {}",
                    settings.database().describe(),
                    settings.batchSize(),
                    settings.batchMaxBytes(),
                    settings.writers(),
                    settings.bufferMax(),
                    settings.bufferMaxBytes(),
                    settings.redisUrl() == null ? "the event bus" : "Redis",
                    settings.retention(),
                    settings.webhook()));
  }

  @Override
  public Future<?> stop() {
    if (activity == null) {
      return Future.succeededFuture();
    }
    if (flowControl != null) {
      flowControl.stop();
    }
    return Future.all(events.unregister(), activity.unregister(), exchanges.unregister())
        .eventually(() -> Future.join(List.copyOf(encoding)))
        .eventually(() -> writer.drain(settings.stopFlushMillis()))
        .eventually(
            () ->
                Future.join(
                    purge == null ? Future.succeededFuture() : purge.stop(),
                    webhook == null ? Future.succeededFuture() : webhook.stop()))
        .eventually(() -> Future.all(publisher.close(), pool.close()))
        .andThen(
            closed -> {
              if (metrics != null) {
                metrics.close();
              }
            });
  }

  /**
   * A connection for each batch in flight ({@code RECORDER_WRITERS}) and {@code DATABASE_POOL_SIZE}
   * more for the reads beside them (recorded exchanges, the webhook's completed calls): the batches
   * never hold more than theirs, so the reads always find their share. The pool opens connections
   * only when asked, up to this.
   */
  static int poolSize(RecorderSettings settings) {
    return settings.writers() + settings.database().poolSize();
  }

  /**
   * Queries traced when a span is current (PROPAGATE, which is also what an unset policy does): the
   * batch's {@code recorder.write_batch} span is, so its statements become its children.
   */
  private static PgConnectOptions tracedQueries(PgConnectOptions options) {
    return new PgConnectOptions(options).setTracingPolicy(TracingPolicy.PROPAGATE);
  }

  /** With {@code WEBHOOK_URL}, each written batch's completed calls go to the webhook. */
  private Consumer<List<RecordedEvent>> completedCalls() {
    if (!settings.webhook().enabled()) {
      return written -> {};
    }
    webhook = new WebhookSender(vertx, settings.webhook(), stats);
    return new CompletedCalls(pool, webhook)::written;
  }

  private void purgeOldCalls() {
    if (settings.retention().enabled()) {
      purge =
          new RetentionPurge(
              vertx, settings.database().connectOptions(), settings.retention(), stats);
      purge.start();
    }
  }

  private Future<?> consume(ActivityPublisher opened) {
    publisher = opened;
    ActivityRelay relay = new ActivityRelay(publisher, stats);
    events = vertx.eventBus().consumer(Addresses.RECORDER_EVENTS, this::record);
    activity = vertx.eventBus().consumer(Addresses.ACTIVITY_EVENTS, relay::relay);
    exchanges =
        vertx.eventBus().consumer(Addresses.RECORDED_EXCHANGE, new RecordedExchanges(pool)::answer);
    return Future.all(events.completion(), activity.completion(), exchanges.completion());
  }

  private Future<ActivityPublisher> activityPublisher() {
    if (settings.redisUrl() == null) {
      return Future.succeededFuture(new EventBusActivityPublisher(vertx.eventBus()));
    }
    return RedisActivityPublisher.connect(vertx, settings.redisUrl());
  }

  private void record(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      malformed.lost(
          stats.eventMalformed(),
          message.headers().get(MessageHeaders.CALL_ID),
          "not a JSON object");
      return;
    }
    RecordedEvent.Received received;
    try {
      received = RecordedEvent.read(body);
    } catch (MalformedPayloadException e) {
      String callId = RecordedEvent.callIdForLogs(body);
      malformed.lost(
          stats.eventMalformed(),
          callId != null ? callId : message.headers().get(MessageHeaders.CALL_ID),
          RecordedEvent.eventTypeForLogs(body) + ": " + e.getMessage());
      return;
    }
    SpanContext callSpan = BusTrace.sender(message.headers());
    PayloadText.Shape shape = PayloadText.shape(received.payload(), PayloadText.INLINE_BYTES);
    if (shape.big()) {
      encodeOffTheLoop(received, callSpan);
      return;
    }
    RecordedEvent event;
    try {
      event = received.encoded(settings.maxPayloadBytes(), shape.shallow());
    } catch (RuntimeException | StackOverflowError e) {
      unencodable(received, e);
      return;
    }
    writer.add(event, callSpan);
  }

  /** Tens of MB take seconds to encode: on a worker, the event loop goes on meanwhile. */
  private void encodeOffTheLoop(RecordedEvent.Received received, SpanContext callSpan) {
    Future<RecordedEvent> encoded =
        vertx.executeBlocking(() -> received.encoded(settings.maxPayloadBytes()), false);
    encoding.add(encoded);
    encoded.onComplete(
        done -> {
          encoding.remove(encoded);
          if (done.succeeded()) {
            writer.add(done.result(), callSpan);
          } else {
            unencodable(received, done.cause());
          }
        });
  }

  private void unencodable(RecordedEvent.Received event, Throwable failure) {
    unencodable.lost(
        stats.eventUnstorable(),
        event.callId().toString(),
        RecordedEvent.shortened(event.eventType())
            + " #"
            + event.sequence()
            + ": "
            + LossLog.describe(failure));
  }
}
