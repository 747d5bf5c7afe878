package io.luthien.gateway.telemetry;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.Usage;
import io.luthien.gateway.upstream.UpstreamErrorType;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream call, seen as the {@code llm.completion} span (kind CLIENT, GenAI conventions) and
 * the {@code gen_ai.client.*} metrics. It reads the response model, id, usage and finish reasons
 * from the whole answer or from the chunks as they pass, and ends once: when the answer is in, or
 * the stream ended, failed or was cancelled. A cancelled call (the client left, or the gateway gave
 * up on it) is not an error of the upstream: its span status stays unset, and its duration is
 * recorded with {@code error.type=cancelled}.
 */
public final class LlmCompletionSpan {

  static final String OPERATION_CHAT = "chat";
  static final String CANCELLED = "cancelled";

  /** Set (true) on a span whose call was abandoned before the upstream finished. */
  public static final AttributeKey<Boolean> UPSTREAM_CANCELLED =
      AttributeKey.booleanKey("luthien.upstream.cancelled");

  private final Span span;
  private final Context context;
  private final GatewayMetrics metrics;
  private final String provider;
  private final String requestModel;
  private final long startNanos = System.nanoTime();
  private final List<String> finishReasons = new ArrayList<>(1);
  private String responseModel;
  private String responseId;

  /** The last usage reported; null while none was, and then no token count is recorded. */
  private Usage usage;

  private boolean chunkSeen;
  private boolean ended;

  private LlmCompletionSpan(
      Span span, Context parent, GatewayMetrics metrics, String provider, String requestModel) {
    this.span = span;
    this.context = parent.with(span);
    this.metrics = metrics;
    this.provider = provider;
    this.requestModel = requestModel;
  }

  public static LlmCompletionSpan start(
      Tracer tracer,
      GatewayMetrics metrics,
      CallTrace call,
      String provider,
      JsonObject upstreamRequest,
      boolean stream) {
    String requestModel = upstreamRequest.getString("model");
    Span span =
        tracer
            .spanBuilder(TelemetryNames.SPAN_LLM_COMPLETION)
            .setParent(call.context())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(TelemetryNames.GEN_AI_OPERATION_NAME, OPERATION_CHAT)
            .setAttribute(TelemetryNames.GEN_AI_PROVIDER_NAME, provider)
            .setAttribute(TelemetryNames.GEN_AI_REQUEST_MODEL, requestModel)
            .setAttribute(TelemetryNames.MODEL, call.model())
            .setAttribute(TelemetryNames.STREAM_ENABLED, stream)
            .startSpan();
    return new LlmCompletionSpan(span, call.context(), metrics, provider, requestModel);
  }

  /** The call's context with this span in it: what the upstream request propagates. */
  public Context context() {
    return context;
  }

  /** Operation, provider and models, for metrics recorded elsewhere about this call. */
  Attributes metricAttributes() {
    return metricAttributes(null);
  }

  public void chunk(JsonObject chunk) {
    if (ended) {
      return;
    }
    if (!chunkSeen) {
      chunkSeen = true;
      span.addEvent(TelemetryNames.EVENT_FIRST_CHUNK);
    }
    read(chunk, Chunks.usage(chunk));
  }

  public void streamEnded() {
    end(null);
  }

  public void completed(JsonObject response) {
    if (!ended) {
      read(response, Completions.usage(response));
      end(null);
    }
  }

  public void failed(Throwable failure) {
    if (ended) {
      return;
    }
    String errorType = UpstreamErrorType.of(failure);
    span.setStatus(StatusCode.ERROR, failure.getMessage());
    span.setAttribute(TelemetryNames.ERROR_TYPE, errorType);
    span.recordException(failure);
    metrics.upstreamError(errorType, provider);
    end(errorType);
  }

  public void cancelled() {
    if (!ended) {
      span.setAttribute(UPSTREAM_CANCELLED, true);
      end(CANCELLED);
    }
  }

  /**
   * Model and id come with every chunk (the first one wins); usage with the last; finish reasons
   * once per choice.
   */
  private void read(JsonObject answer, Usage answerUsage) {
    if (responseModel == null) {
      responseModel = JsonFields.string(answer, Canonical.MODEL);
    }
    if (responseId == null) {
      responseId = JsonFields.string(answer, Canonical.ID);
    }
    if (answerUsage != null) {
      usage = answerUsage;
    }
    finishReasons.addAll(Choices.finishReasons(answer));
  }

  private void end(String errorType) {
    ended = true;
    if (responseModel != null) {
      span.setAttribute(TelemetryNames.GEN_AI_RESPONSE_MODEL, responseModel);
    }
    if (responseId != null) {
      span.setAttribute(TelemetryNames.GEN_AI_RESPONSE_ID, responseId);
    }
    if (usage != null) {
      span.setAttribute(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS, usage.promptTokens());
      span.setAttribute(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS, usage.completionTokens());
    }
    if (!finishReasons.isEmpty()) {
      span.setAttribute(TelemetryNames.GEN_AI_RESPONSE_FINISH_REASONS, finishReasons);
    }
    span.end();
    metrics.upstreamCall(startNanos, metricAttributes(errorType));
    if (usage != null) {
      metrics.tokens(usage.promptTokens(), tokenAttributes("input"));
      metrics.tokens(usage.completionTokens(), tokenAttributes("output"));
    }
  }

  private Attributes metricAttributes(String errorType) {
    return metrics.upstreamAttributes(provider, requestModel, responseModel, errorType, null);
  }

  private Attributes tokenAttributes(String tokenType) {
    return metrics.upstreamAttributes(provider, requestModel, responseModel, null, tokenType);
  }
}
