package io.luthien.gateway.telemetry;

import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;

/**
 * The metrics of one stream relayed to a client: it counts in {@code
 * luthien.gateway.active_streams} from start to end (each at most once, so the gauge cannot drift),
 * and its first chunk written gives {@code gen_ai.server.time_to_first_token}, measured from the
 * request's arrival.
 */
public final class StreamMeter {

  private final GatewayMetrics metrics;
  private final long requestStartNanos;
  private final Attributes attributes;
  private boolean started;
  private boolean ended;
  private boolean chunkWritten;

  public StreamMeter(
      GatewayMetrics metrics, long requestStartNanos, String provider, String requestModel) {
    this.metrics = metrics;
    this.requestStartNanos = requestStartNanos;
    this.attributes =
        Attributes.of(
            TelemetryNames.GEN_AI_OPERATION_NAME,
            LlmCompletionSpan.OPERATION_CHAT,
            TelemetryNames.GEN_AI_PROVIDER_NAME,
            provider,
            TelemetryNames.GEN_AI_REQUEST_MODEL,
            metrics.modelLabel(requestModel));
  }

  public void started() {
    if (!started) {
      started = true;
      metrics.streamStarted();
    }
  }

  public void chunkWritten() {
    if (!chunkWritten) {
      chunkWritten = true;
      metrics.firstChunkWritten(requestStartNanos, attributes);
    }
  }

  public void ended() {
    if (started && !ended) {
      ended = true;
      metrics.streamEnded();
    }
  }
}
