package io.luthien.shared.telemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Span names and attribute keys every node agrees on (ARCHITECTURE §6). The GenAI semantic
 * conventions are still "Development" and their Java constants are deprecated, so their names are
 * kept here as our own.
 */
public final class TelemetryNames {

  /** Instrumentation scope of each role's own spans and meters. */
  public static final String SCOPE_GATEWAY = "io.luthien.gateway";

  public static final String SCOPE_POLICY = "io.luthien.policy";
  public static final String SCOPE_RECORDER = "io.luthien.recorder";
  public static final String SCOPE_DEBUG = "io.luthien.debug";

  public static final String SPAN_POLICY_REQUEST = "policy.process_request";
  public static final String SPAN_POLICY_RESPONSE = "policy.process_response";

  /**
   * One span per streamed call at its policy instance, from open to close; chunks are its events,
   * not spans.
   */
  public static final String SPAN_POLICY_STREAM = "policy.process_stream";

  public static final String SPAN_LLM_COMPLETION = "llm.completion";
  public static final String SPAN_RECORDER_WRITE_BATCH = "recorder.write_batch";

  /** Span event on {@code llm.completion} when the upstream's first chunk arrives. */
  public static final String EVENT_FIRST_CHUNK = "gen_ai.first_chunk";

  /** The baggage key and the span/log attribute that tie every hop of one call together. */
  public static final AttributeKey<String> CALL_ID = stringKey("luthien.call_id");

  /** On {@code recorder.write_batch}: the calls whose events the batch wrote (also its links). */
  public static final AttributeKey<List<String>> CALL_IDS = stringArrayKey("luthien.call_ids");

  public static final AttributeKey<String> POLICY_NAME = stringKey("luthien.policy.name");
  public static final AttributeKey<String> POLICY_HOOK = stringKey("luthien.policy.hook");

  /** {@code passed}, {@code changed} or {@code blocked}. */
  public static final AttributeKey<String> POLICY_DECISION = stringKey("luthien.policy.decision");

  public static final AttributeKey<Boolean> STREAM_ENABLED = booleanKey("luthien.stream.enabled");
  public static final AttributeKey<String> MODEL = stringKey("luthien.model");
  public static final AttributeKey<String> API = stringKey("luthien.api");
  public static final AttributeKey<Long> BATCH_SIZE = longKey("luthien.batch.size");

  /**
   * Why a recorder event was not written: {@code buffer_full}, {@code malformed} or {@code
   * rejected}.
   */
  public static final AttributeKey<String> DROP_REASON = stringKey("luthien.drop.reason");

  public static final AttributeKey<String> GEN_AI_OPERATION_NAME =
      stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = stringKey("gen_ai.request.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL =
      stringKey("gen_ai.response.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_ID = stringKey("gen_ai.response.id");
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS =
      longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS =
      longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<List<String>> GEN_AI_RESPONSE_FINISH_REASONS =
      stringArrayKey("gen_ai.response.finish_reasons");

  /** {@code input} or {@code output}, on {@code gen_ai.client.token.usage}. */
  public static final AttributeKey<String> GEN_AI_TOKEN_TYPE = stringKey("gen_ai.token.type");

  public static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
  public static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      longKey("http.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  private TelemetryNames() {}
}
