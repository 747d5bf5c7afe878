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
import java.util.function.Function;
import java.util.function.UnaryOperator;

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

  /**
   * {@code request} (a Responses request) to the route's {@link ResponsesBackend}: the whole
   * response object; the span reads its usage through {@code toCanonical}.
   */
  public Future<JsonObject> respond(
      CallTrace call,
      UpstreamRoute route,
      JsonObject request,
      Function<JsonObject, JsonObject> toCanonical,
      Future<Void> clientGone) {
    LlmCompletionSpan span =
        LlmCompletionSpan.start(tracer, metrics, call, route.providerName(), request, false);
    return ((ResponsesBackend) route.provider())
        .respond(request, route.auth(), clientGone, span.context())
        .onSuccess(response -> span.completed(toCanonical.apply(response)))
        .onFailure(failure -> failed(span, failure, clientGone));
  }

  /**
   * {@code request} streamed from the route's {@link ResponsesBackend}: its events, made canonical
   * chunks by {@code toChunks}, which the span observes; it ends with the stream.
   */
  public Future<ChunkStream> respondStreaming(
      CallTrace call,
      UpstreamRoute route,
      JsonObject request,
      UnaryOperator<ChunkStream> toChunks,
      Future<Void> clientGone) {
    LlmCompletionSpan span =
        LlmCompletionSpan.start(tracer, metrics, call, route.providerName(), request, true);
    return ((ResponsesBackend) route.provider())
        .respondStreaming(request, route.auth(), clientGone, span.context())
        .map(events -> ObservedChunkStream.of(toChunks.apply(events), span))
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
