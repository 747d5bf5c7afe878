package io.luthien.shared.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.MessageHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.tracing.TracingPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BusTraceTest {

  private static final SpanContext SENDER =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  private static final Context CALL =
      CallBaggage.withCallId(Context.root().with(Span.wrap(SENDER)), "call-1");

  @Test
  @DisplayName(
      "a traced message carries the call id and the sender's traceparent, and no baggage; Vert.x's tracing is off for it")
  void tracedOptions() {
    DeliveryOptions options = BusTrace.options(CALL, "call-1");

    assertThat(options.getTracingPolicy()).isEqualTo(TracingPolicy.IGNORE);
    assertThat(options.getHeaders().names()).containsExactlyInAnyOrder("call-id", "traceparent");
    assertThat(options.getHeaders().get(MessageHeaders.CALL_ID)).isEqualTo("call-1");
    assertThat(options.getHeaders().get("traceparent"))
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  @DisplayName("without a valid span (telemetry off, or no trace) only the call id goes along")
  void noSpanNoTraceparent() {
    assertThat(BusTrace.options(Context.root(), "call-2").getHeaders().names())
        .containsExactly("call-id");
    assertThat(
            BusTrace.options(CallBaggage.withCallId(Context.root(), "call-2"), "call-2")
                .getHeaders()
                .names())
        .containsExactly("call-id");
    assertThat(BusTrace.untraced("call-3").getHeaders().names()).containsExactly("call-id");
  }

  @Test
  @DisplayName(
      "the receiver rebuilds the sender's span as remote parent, with the call id as baggage")
  void receiverContext() {
    MultiMap headers = BusTrace.options(CALL, "call-1").getHeaders();

    Context received = BusTrace.context(headers);

    SpanContext parent = Span.fromContext(received).getSpanContext();
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getTraceId()).isEqualTo(SENDER.getTraceId());
    assertThat(parent.getSpanId()).isEqualTo(SENDER.getSpanId());
    assertThat(parent.isSampled()).isTrue();
    assertThat(CallBaggage.callId(received)).isEqualTo("call-1");
    assertThat(BusTrace.sender(headers).getSpanId()).isEqualTo(SENDER.getSpanId());
  }

  @Test
  @DisplayName(
      "an untraced message, or one with a broken traceparent, gives the root context and an invalid sender")
  void untracedReceiver() {
    MultiMap untraced = BusTrace.untraced("call-3").getHeaders();
    MultiMap broken = BusTrace.untraced("call-4").getHeaders().add("traceparent", "00-nonsense");

    assertThat(BusTrace.context(untraced)).isSameAs(Context.root());
    assertThat(BusTrace.sender(untraced).isValid()).isFalse();
    assertThat(BusTrace.sender(broken).isValid()).isFalse();
    assertThat(CallBaggage.callId(BusTrace.context(broken))).isNull();
  }
}
