package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;

/**
 * Connects logback's OTLP appender (declared in {@code logback.xml}) to the node's SDK. Static by
 * logback's design: with several nodes in one JVM (tests), the last node started receives every log
 * record.
 */
final class LogExport {

  private LogExport() {}

  static void install(NodeTelemetry telemetry) {
    if (telemetry.enabled()) {
      OpenTelemetryAppender.install(telemetry.sdk());
    }
  }
}
