package io.luthien.shared.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Vert.x's tracer without its event-bus spans; HTTP, pg and Redis spans stay. The nodes carry a
 * call's trace over the event bus themselves ({@link BusTrace}): a span per send and per receive
 * made most of a call's spans and answered no question. Vert.x 5 receives every message with its
 * default policy, whatever the sender set, so only the tracer can leave them out.
 */
public final class WithoutEventBusSpans implements VertxTracerFactory {

  private final VertxTracerFactory vertx;

  private WithoutEventBusSpans(VertxTracerFactory vertx) {
    this.vertx = vertx;
  }

  /** The tracer every node's Vert.x gets when telemetry is on. */
  public static VertxTracerFactory of(OpenTelemetry openTelemetry) {
    return new WithoutEventBusSpans(new OpenTelemetryTracingFactory(openTelemetry));
  }

  @Override
  @SuppressWarnings("unchecked") // the wrapper passes Vert.x's spans through, whatever their type
  public VertxTracer<Object, Object> tracer(TracingOptions options) {
    return new Tracer(vertx.tracer(options));
  }

  private record Tracer(VertxTracer<Object, Object> vertx) implements VertxTracer<Object, Object> {

    @Override
    public <R> Object receiveRequest(
        Context context,
        SpanKind kind,
        TracingPolicy policy,
        R request,
        String operation,
        Iterable<Map.Entry<String, String>> headers,
        TagExtractor<R> tags) {
      if (request instanceof Message<?>) {
        return null;
      }
      return vertx.receiveRequest(context, kind, policy, request, operation, headers, tags);
    }

    @Override
    public <R> void sendResponse(
        Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
      vertx.sendResponse(context, response, payload, failure, tags);
    }

    @Override
    public <R> Object sendRequest(
        Context context,
        SpanKind kind,
        TracingPolicy policy,
        R request,
        String operation,
        BiConsumer<String, String> headers,
        TagExtractor<R> tags) {
      if (request instanceof Message<?>) {
        return null;
      }
      return vertx.sendRequest(context, kind, policy, request, operation, headers, tags);
    }

    @Override
    public <R> void receiveResponse(
        Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
      vertx.receiveResponse(context, response, payload, failure, tags);
    }

    @Override
    public void close() {
      vertx.close();
    }
  }
}
