package io.luthien.shared.telemetry;

import java.util.List;

/**
 * The metrics every node emits (ARCHITECTURE §6), with the histogram bucket boundaries the semantic
 * conventions advise. Dashboards and alerts query the Prometheus forms of these names.
 */
public final class MetricNames {

  /**
   * Seconds; {@code http.request.method}, {@code http.route}, {@code http.response.status_code}.
   */
  public static final String HTTP_SERVER_REQUEST_DURATION = "http.server.request.duration";

  /**
   * Seconds, one per upstream call; {@code gen_ai.*} model and provider, {@code error.type} on
   * failure.
   */
  public static final String GEN_AI_OPERATION_DURATION = "gen_ai.client.operation.duration";

  /** Tokens; {@code gen_ai.token.type} input or output. */
  public static final String GEN_AI_TOKEN_USAGE = "gen_ai.client.token.usage";

  /** Seconds from the request's arrival to the first chunk written to the client. */
  public static final String GEN_AI_TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";

  /** Upstream calls that failed, by {@code error.type}. */
  public static final String UPSTREAM_ERRORS = "luthien.upstream.errors";

  /**
   * Requests the gateway refused before any upstream call (4xx), by {@code
   * http.response.status_code}, {@code error.type} (the gateway's own error code) and {@code
   * http.route}.
   */
  public static final String REQUESTS_REFUSED = "luthien.gateway.requests.refused";

  /**
   * Seconds a new call was held because a recorder fell behind ({@code recorder.pressure}); its
   * count is the number of held calls.
   */
  public static final String RECORDER_HOLD_DURATION = "luthien.gateway.recorder_hold.duration";

  /** Streams the gateway is relaying right now. */
  public static final String ACTIVE_STREAMS = "luthien.gateway.active_streams";

  /** Seconds one policy hook took; {@code luthien.policy.name}, {@code luthien.policy.hook}. */
  public static final String POLICY_DURATION = "luthien.policy.duration";

  /** Request and response verdicts; {@code luthien.policy.decision} passed, changed or blocked. */
  public static final String POLICY_DECISIONS = "luthien.policy.decisions";

  public static final String RECORDER_QUEUE_SIZE = "luthien.recorder.queue.size";

  /** Events not written, by {@code luthien.drop.reason}. */
  public static final String RECORDER_EVENTS_DROPPED = "luthien.recorder.events.dropped";

  public static final String RECORDER_EVENTS_WRITTEN = "luthien.recorder.events.written";

  /** Seconds one batch transaction took. */
  public static final String RECORDER_WRITE_DURATION = "luthien.recorder.write.duration";

  /** HTTP semantic conventions' advice for request durations, in seconds. */
  public static final List<Double> HTTP_DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  /** GenAI conventions' advice for operation durations, in seconds. */
  public static final List<Double> GEN_AI_DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  /** GenAI conventions' advice for time to first token, in seconds. */
  public static final List<Double> GEN_AI_TTFT_BUCKETS =
      List.of(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);

  /** GenAI conventions' advice for token counts. */
  public static final List<Long> GEN_AI_TOKEN_BUCKETS =
      List.of(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);

  /**
   * Sub-millisecond to seconds: policy hooks and batch writes are usually far faster than HTTP
   * calls.
   */
  public static final List<Double> FAST_DURATION_BUCKETS =
      List.of(
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
          2.5, 5.0);

  private MetricNames() {}
}
