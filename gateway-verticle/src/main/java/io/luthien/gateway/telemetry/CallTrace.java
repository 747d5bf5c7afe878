package io.luthien.gateway.telemetry;

import io.luthien.shared.telemetry.CallBaggage;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * One call's OpenTelemetry context: the Vert.x HTTP server span plus the call id as baggage.
 * Whatever the gateway does on the call's behalf (event-bus sends, the upstream call) runs under
 * it, made current explicitly: the server span's own scope closes when the response is sent, yet
 * recording and stream completion go on after.
 */
public final class CallTrace {

  private static final String KEY = "luthien.call_trace";

  private final Context context;
  private final Span serverSpan;
  private final long startNanos;
  private String route;
  private String model;

  private CallTrace(Context context, Span serverSpan, long startNanos) {
    this.context = context;
    this.serverSpan = serverSpan;
    this.startNanos = startNanos;
  }

  /** Must run while the request's server span is current, i.e. in the router's first handlers. */
  @SuppressWarnings("MustBeClosedChecker") // the call's scope is left open on purpose, see below
  static CallTrace begin(RoutingContext ctx, String callId, long startNanos) {
    Context current = Context.current();
    Span serverSpan = Span.fromContext(current);
    serverSpan.setAttribute(TelemetryNames.CALL_ID, callId);
    CallTrace trace =
        new CallTrace(CallBaggage.withCallId(current, callId), serverSpan, startNanos);
    ctx.put(KEY, trace);
    if (serverSpan.getSpanContext().isValid()) {
      // Left open on purpose: Vert.x closes the server span's scope on the request's own
      // (duplicated) context when
      // the response is sent, and that removes this one too. Until then, log lines of the call
      // carry its id.
      trace.context.makeCurrent();
    }
    return trace;
  }

  /**
   * A call that came over the event bus (a policy's model call, a policy trial): its spans are
   * children of {@code parent}, the sender's span ({@link io.luthien.shared.telemetry.BusTrace}),
   * or start a trace of their own when there is none.
   */
  public static CallTrace ofMessage(Context parent, String callId) {
    return new CallTrace(
        CallBaggage.withCallId(parent, callId), Span.fromContext(parent), System.nanoTime());
  }

  public static CallTrace of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public Context context() {
    return context;
  }

  /** {@link System#nanoTime()} when the request reached the router. */
  public long startNanos() {
    return startNanos;
  }

  /** The template of the route that served the request, or null when none matched. */
  public String route() {
    return route;
  }

  /** The model the client asked for, once the request is parsed. */
  String model() {
    return model;
  }

  public void routed(HttpMethod method, String template) {
    route = template;
    serverSpan.updateName(method.name() + " " + template);
    serverSpan.setAttribute(TelemetryNames.HTTP_ROUTE, template);
  }

  public void describe(String model, boolean stream, String api) {
    this.model = model;
    serverSpan.setAttribute(TelemetryNames.MODEL, model);
    serverSpan.setAttribute(TelemetryNames.STREAM_ENABLED, stream);
    serverSpan.setAttribute(TelemetryNames.API, api);
  }
}
