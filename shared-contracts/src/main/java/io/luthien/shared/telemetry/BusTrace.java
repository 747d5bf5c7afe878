package io.luthien.shared.telemetry;

import io.luthien.shared.MessageHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.util.List;

/**
 * A call's trace across the event bus, carried by hand. Messages make no spans of their own (the
 * node's Vert.x tracer makes none for the event bus): a message carries the call id and, when the
 * sender's span is a real one, its W3C {@code traceparent}, and the receiver starts its own spans
 * (a policy hook, the upstream call) as that span's children, or links to it (the recorder's
 * batch). Nothing else goes along: no baggage header, no span per send and per receive.
 */
public final class BusTrace {

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final String TRACEPARENT = "traceparent";

  private BusTrace() {}

  /** The options of a message sent on the call's behalf under {@code trace}. */
  public static DeliveryOptions options(Context trace, String callId) {
    DeliveryOptions options = untraced(callId);
    if (Span.fromContext(trace).getSpanContext().isValid()) {
      W3C.inject(trace, options, DeliveryOptionsSetter.INSTANCE);
    }
    return options;
  }

  /** The options of a message of the call that no span follows (a stream's chunk, a preview). */
  public static DeliveryOptions untraced(String callId) {
    return new DeliveryOptions()
        .setTracingPolicy(TracingPolicy.IGNORE)
        .addHeader(MessageHeaders.CALL_ID, callId);
  }

  /**
   * The context a receiver works in: the sender's span as remote parent and the call id as baggage
   * (so log lines and spans carry it). The root context when the message carries no trace, which
   * costs nothing.
   */
  public static Context context(MultiMap headers) {
    Context parent = parent(headers);
    if (parent == Context.root()) {
      return parent;
    }
    String callId = headers.get(MessageHeaders.CALL_ID);
    return callId == null ? parent : CallBaggage.withCallId(parent, callId);
  }

  /** The sender's span as a remote parent, or the root context when the message carries none. */
  public static Context parent(MultiMap headers) {
    if (headers.isEmpty() || headers.get(TRACEPARENT) == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), headers, MultiMapGetter.INSTANCE);
  }

  /** The sender's span, for a link; invalid when the message carries none. */
  public static SpanContext sender(MultiMap headers) {
    return Span.fromContext(parent(headers)).getSpanContext();
  }

  private enum DeliveryOptionsSetter implements TextMapSetter<DeliveryOptions> {
    INSTANCE;

    @Override
    public void set(DeliveryOptions carrier, String key, String value) {
      if (carrier != null) {
        carrier.addHeader(key, value);
      }
    }
  }

  private enum MultiMapGetter implements TextMapGetter<MultiMap> {
    INSTANCE;

    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier == null ? List.of() : carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
