package io.luthien.gateway.recording;

import io.luthien.gateway.telemetry.GatewayMetrics;
import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.luthien.shared.payloads.RecorderPressure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds new recorded calls while a recorder says it is behind ({@link
 * Addresses#RECORDER_PRESSURE}), so that a load PostgreSQL cannot keep up with slows down instead
 * of losing recorded events. A held call waits, its body read, until every recorder has caught up,
 * or {@code maxWaitMillis} at most; then it goes on as usual. A recorder that stops repeating that
 * it is behind is forgotten after {@link #FORGET_MILLIS}. Calls already under way are never held.
 * One per gateway verticle instance, on its event loop.
 */
public final class RecorderBackpressure implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(RecorderBackpressure.class);

  /** Three of the recorder's repeats ({@code FlowControl.REPEAT_MILLIS}) missed. */
  static final long FORGET_MILLIS = 3_000;

  static final long SWEEP_MILLIS = 25;

  private record Held(RoutingContext ctx, long sinceNanos) {}

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final long maxWaitNanos;

  /** The recorders behind, with when each is forgotten unless it says so again. */
  private final Map<String, Long> behindUntilNanos = new HashMap<>();

  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long sweep = -1;

  /** Must be created on the event loop that will use it. */
  public RecorderBackpressure(Vertx vertx, GatewayMetrics metrics, long maxWaitMillis) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
  }

  /** Listens to the recorders; unregistered with the verticle. */
  public Future<Void> start() {
    return vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.RECORDER_PRESSURE, this::pressure)
        .completion();
  }

  @Override
  public void handle(RoutingContext ctx) {
    long now = System.nanoTime();
    if (!behind(now)) {
      ctx.next();
      return;
    }
    held.add(new Held(ctx, now));
    if (sweep < 0) {
      sweep = vertx.setPeriodic(SWEEP_MILLIS, tick -> sweep());
    }
  }

  private void pressure(Message<JsonObject> message) {
    RecorderPressure pressure;
    try {
      pressure = RecorderPressure.fromJson(message.body());
    } catch (MalformedPayloadException malformed) {
      log.debug("ignored a malformed recorder pressure message: {}", malformed.getMessage());
      return;
    }
    long now = System.nanoTime();
    if (pressure.behind()) {
      Long known =
          behindUntilNanos.put(
              pressure.recorder(), now + TimeUnit.MILLISECONDS.toNanos(FORGET_MILLIS));
      if (known == null) {
        log.debug(
            "recorder {} is behind ({} % of its buffer): new calls wait for it",
            pressure.recorder(), pressure.bufferPercent());
      }
    } else {
      behindUntilNanos.remove(pressure.recorder());
    }
    sweep();
  }

  /** Whether some recorder is behind now; forgets those that stopped saying so. */
  private boolean behind(long now) {
    if (behindUntilNanos.isEmpty()) {
      return false;
    }
    Iterator<Long> until = behindUntilNanos.values().iterator();
    while (until.hasNext()) {
      if (until.next() - now < 0) {
        until.remove();
      }
    }
    return !behindUntilNanos.isEmpty();
  }

  /** Lets go the calls whose wait is over: all of them once no recorder is behind. */
  private void sweep() {
    long now = System.nanoTime();
    boolean behind = behind(now);
    while (!held.isEmpty() && (!behind || now - held.peek().sinceNanos() >= maxWaitNanos)) {
      release(held.poll());
    }
    if (held.isEmpty() && sweep >= 0) {
      vertx.cancelTimer(sweep);
      sweep = -1;
    }
  }

  private void release(Held call) {
    metrics.recorderHold(call.sinceNanos());
    if (!call.ctx().response().closed()) {
      call.ctx().next();
    }
  }
}
