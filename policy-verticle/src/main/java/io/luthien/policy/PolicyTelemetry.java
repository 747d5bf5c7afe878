package io.luthien.policy;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.luthien.policy.api.Policy;
import io.luthien.policy.api.RequestDecision;
import io.luthien.shared.Fields;
import io.luthien.shared.telemetry.AttributeCache;
import io.luthien.shared.telemetry.MetricNames;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policy node's spans, span events and metrics (ARCHITECTURE §6). With {@link
 * OpenTelemetry#noop()} all of it costs next to nothing and the replies are exactly what they are
 * without telemetry.
 */
final class PolicyTelemetry {

  /**
   * The hooks, as {@code luthien.policy.hook} names them and as failure messages name the method.
   */
  enum Hook {
    REQUEST("request", "onRequest"),
    RESPONSE("response", "onResponse"),
    CHUNK("chunk", "onChunk"),
    STREAM_END("stream_end", "onStreamEnd");

    final String label;
    final String method;

    Hook(String label, String method) {
      this.label = label;
      this.method = method;
    }
  }

  private static final String PASSED = "passed";
  private static final String CHANGED = "changed";
  private static final String BLOCKED = "blocked";

  /** On {@code policy.process_stream}: chunk messages the stream received. */
  static final AttributeKey<Long> STREAM_CHUNKS = longKey("luthien.stream.chunks");

  /** On {@code policy.process_stream}: the session was dropped by the idle sweep, never closed. */
  static final AttributeKey<Boolean> STREAM_EXPIRED = booleanKey("luthien.stream.expired");

  /** On {@code policy.process_stream}: a chunk hook ended the stream. */
  static final AttributeKey<Boolean> STREAM_ENDED_BY_POLICY =
      booleanKey("luthien.stream.ended_by_policy");

  /**
   * Span event on {@code policy.process_stream} when it ends without a close (expired, reopened,
   * node stopped).
   */
  static final String EVENT_STREAM_ABANDONED = "luthien.stream.abandoned";

  static final AttributeKey<String> ABANDON_REASON = stringKey("luthien.stream.abandon_reason");
  static final AttributeKey<Long> BLOCKED_STATUS = longKey("luthien.policy.blocked.status");

  /**
   * Span events of {@link CallContext#emit}: scalar top-level fields under this prefix, plus the
   * whole data.
   */
  static final String EVENT_ATTRIBUTE_PREFIX = "luthien.event.";

  static final AttributeKey<String> EVENT_DATA = stringKey("luthien.event.data");
  static final int MAX_EVENT_DATA_CHARS = 4_096;
  static final int MAX_EVENT_VALUE_CHARS = 512;
  static final int MAX_EVENT_FIELDS = 32;

  /**
   * The labels of one policy metric point: the policy, the hook, and its decision or the error it
   * failed with (either may be null).
   */
  private record MetricLabels(String policy, String hook, String decision, String errorType) {

    Attributes build() {
      AttributesBuilder attributes =
          Attributes.builder()
              .put(TelemetryNames.POLICY_NAME, policy)
              .put(TelemetryNames.POLICY_HOOK, hook);
      if (decision != null) {
        attributes.put(TelemetryNames.POLICY_DECISION, decision);
      }
      if (errorType != null) {
        attributes.put(TelemetryNames.ERROR_TYPE, errorType);
      }
      return attributes.build();
    }
  }

  private final AttributeCache<MetricLabels> metricAttributes =
      new AttributeCache<>(1024, MetricLabels::build);
  private final Tracer tracer;
  private final DoubleHistogram durations;
  private final LongCounter decisions;

  PolicyTelemetry(OpenTelemetry openTelemetry) {
    tracer = openTelemetry.getTracer(TelemetryNames.SCOPE_POLICY);
    Meter meter = openTelemetry.getMeter(TelemetryNames.SCOPE_POLICY);
    durations =
        meter
            .histogramBuilder(MetricNames.POLICY_DURATION)
            .setUnit("s")
            .setDescription("Time one policy hook took, until its future completed")
            .setExplicitBucketBoundariesAdvice(MetricNames.FAST_DURATION_BUCKETS)
            .build();
    decisions =
        meter
            .counterBuilder(MetricNames.POLICY_DECISIONS)
            .setUnit("{decision}")
            .setDescription("Request and response verdicts: passed unchanged, changed, or blocked")
            .build();
  }

  /**
   * Starts the span of one call at this policy, a child of {@code parent} (the gateway's span that
   * sent the call), and routes the context's emitted events to it. The call id is set explicitly:
   * stream chunks arrive without baggage.
   */
  CallTrace start(
      Context parent, String spanName, Policy policy, CallContext context, boolean stream) {
    SpanBuilder builder =
        tracer
            .spanBuilder(spanName)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(TelemetryNames.POLICY_NAME, policy.name())
            .setAttribute(TelemetryNames.STREAM_ENABLED, stream);
    if (context.callId() != null) {
      builder.setAttribute(TelemetryNames.CALL_ID, context.callId());
    }
    if (context.request().getValue(Fields.MODEL) instanceof String model) {
      builder.setAttribute(TelemetryNames.MODEL, model);
    }
    Span span = builder.startSpan();
    context.traceTo(span);
    return new CallTrace(parent.with(span), span);
  }

  /**
   * Runs one hook with the call's span current, and times it until its future completes. The hook's
   * own failure handling is {@link PolicyCalls#invoke}'s; the span's outcome is the caller's,
   * through {@link CallTrace#end}.
   */
  <T> Future<T> run(CallTrace trace, Policy policy, Hook hook, Supplier<Future<T>> call) {
    long started = System.nanoTime();
    Future<T> outcome;
    try (Scope ignored = trace.context().makeCurrent()) {
      outcome = PolicyCalls.invoke(policy, hook.method, call);
    }
    return outcome.onComplete(
        done ->
            durations.record(
                (System.nanoTime() - started) / 1e9,
                metricAttributes.get(
                    new MetricLabels(
                        policy.name(),
                        hook.label,
                        null,
                        done.failed() ? errorType(done.cause()) : null))));
  }

  /**
   * Counts the request hook's verdict (blocked, changed or passed) and notes it on the call's span.
   */
  void requestDecided(CallTrace trace, Policy policy, JsonObject given, RequestDecision decision) {
    if (decision.blocked()) {
      trace.span().setAttribute(BLOCKED_STATUS, (long) decision.blockedStatus());
      decided(trace, policy, Hook.REQUEST, BLOCKED);
    } else {
      decided(trace, policy, Hook.REQUEST, verdict(given, decision.request()));
    }
  }

  void responseDecided(CallTrace trace, Policy policy, JsonObject given, JsonObject returned) {
    decided(trace, policy, Hook.RESPONSE, verdict(given, returned));
  }

  private void decided(CallTrace trace, Policy policy, Hook hook, String decision) {
    trace.span().setAttribute(TelemetryNames.POLICY_DECISION, decision);
    decisions.add(
        1, metricAttributes.get(new MetricLabels(policy.name(), hook.label, decision, null)));
  }

  /**
   * {@code changed} when the hook returned another, different object. A policy that edits its input
   * in place (against {@link Policy}'s contract) is seen as {@code passed}: copying every input to
   * compare would cost more.
   */
  private static String verdict(JsonObject given, JsonObject returned) {
    return returned.equals(given) ? PASSED : CHANGED;
  }

  /**
   * The span event of {@code emit(type, data)}: scalar top-level fields as attributes, and the data
   * as JSON.
   */
  static Attributes eventAttributes(JsonObject data) {
    AttributesBuilder attributes = Attributes.builder();
    int fields = 0;
    for (Map.Entry<String, Object> field : data) {
      if (fields == MAX_EVENT_FIELDS) {
        break;
      }
      String key = EVENT_ATTRIBUTE_PREFIX + field.getKey();
      Object value = field.getValue();
      if (value instanceof String text) {
        attributes.put(key, truncated(text, MAX_EVENT_VALUE_CHARS));
      } else if (value instanceof Boolean flag) {
        attributes.put(key, flag);
      } else if (value instanceof Integer
          || value instanceof Long
          || value instanceof Short
          || value instanceof Byte
          || value instanceof BigInteger) {
        attributes.put(key, ((Number) value).longValue());
      } else if (value instanceof Number number) {
        attributes.put(key, number.doubleValue());
      } else {
        continue;
      }
      fields++;
    }
    return attributes.put(EVENT_DATA, truncated(data.encode(), MAX_EVENT_DATA_CHARS)).build();
  }

  private static String truncated(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /** What failed inside the hook, not the wrapper that names the policy. */
  static Throwable cause(Throwable failure) {
    return failure instanceof PolicyCalls.PolicyFailure && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  static String errorType(Throwable failure) {
    return cause(failure).getClass().getName();
  }

  /**
   * The span of one call at this policy, and the context that makes it current for the call's
   * hooks.
   */
  record CallTrace(Context context, Span span) {

    /** Ends the span; a failure makes it ERROR with the exception recorded. */
    void end(Throwable failure) {
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure.getMessage());
        span.recordException(cause(failure));
      }
      span.end();
    }
  }
}
