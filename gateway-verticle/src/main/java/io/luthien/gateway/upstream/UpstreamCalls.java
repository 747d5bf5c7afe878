package io.luthien.gateway.upstream;

import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.ObservedChunkStream;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.telemetry.GatewayMetrics;
import io.luthien.gateway.telemetry.LlmCompletionSpan;
import io.luthien.gateway.telemetry.StreamMeter;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Calls the routed provider inside an {@code llm.completion} span, a child of the call's trace. The
 * provider gets the span's context to propagate as {@code traceparent}; a call the client abandoned
 * ends as cancelled, not failed.
 */
public final class UpstreamCalls {

  private final Tracer tracer;
  private final GatewayMetrics metrics;

  public UpstreamCalls(Tracer tracer, GatewayMetrics metrics) {
    this.tracer = tracer;
    this.metrics = metrics;
  }

  public Future<JsonObject> complete(CallTrace call, UpstreamRoute route, Future<Void> clientGone) {
    LlmCompletionSpan span =
        LlmCompletionSpan.start(
            tracer, metrics, call, route.providerName(), route.upstreamRequest(), false);
    return route
        .provider()
        .complete(route.upstreamRequest(), route.auth(), clientGone, span.context())
        .onSuccess(span::completed)
        .onFailure(failure -> failed(span, failure, clientGone));
  }

  /** The stream's span ends with the stream: when it ends, fails or is cancelled. */
  public Future<ChunkStream> stream(CallTrace call, UpstreamRoute route, Future<Void> clientGone) {
    LlmCompletionSpan span =
        LlmCompletionSpan.start(
            tracer, metrics, call, route.providerName(), route.upstreamRequest(), true);
    return route.provider().stream(
            route.upstreamRequest(), route.auth(), clientGone, span.context())
        .map(chunks -> ObservedChunkStream.of(chunks, span))
        .onFailure(failure -> failed(span, failure, clientGone));
  }

  /** The meter of a stream this call relays to the client. */
  public StreamMeter streamMeter(CallTrace call, UpstreamRoute route) {
    return new StreamMeter(
        metrics,
        call.startNanos(),
        route.providerName(),
        route.upstreamRequest().getString("model"));
  }

  private static void failed(LlmCompletionSpan span, Throwable failure, Future<Void> clientGone) {
    if (clientGone.isComplete()) {
      span.cancelled();
    } else {
      span.failed(failure);
    }
  }
}
