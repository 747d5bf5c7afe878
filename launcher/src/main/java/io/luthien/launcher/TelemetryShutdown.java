package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Ties the node's telemetry to its Vert.x: when Vert.x closes, what the SDK still buffers is
 * exported and its threads stop.
 */
final class TelemetryShutdown extends VerticleBase {

  private final NodeTelemetry telemetry;

  TelemetryShutdown(NodeTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          telemetry.close();
          return null;
        });
  }
}
