package io.luthien.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.telemetry.TestTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VertxTelemetryTest {

  private final TestTelemetry telemetry = TestTelemetry.start();
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    telemetry.close();
  }

  @Test
  @DisplayName(
      "a node's Vert.x makes no event-bus spans, even for a message sent under a span, and keeps only "
          + "the event-bus meters the dashboards read")
  void noEventBusSpansNorPerMessageCounters() throws Exception {
    VertxOptions options = new VertxOptions();
    vertx =
        VertxTelemetry.instrument(Vertx.builder(), options, telemetry.node()).with(options).build();
    vertx.eventBus().<String>consumer("echo", message -> message.reply(message.body()));
    var caller = telemetry.openTelemetry().getTracer("test").spanBuilder("test.caller").startSpan();

    String answer;
    try (Scope ignored = Context.root().with(caller).makeCurrent()) {
      answer =
          vertx
              .eventBus()
              .<String>request("echo", "ping")
              .map(Message::body)
              .await(10, TimeUnit.SECONDS);
    }
    vertx.eventBus().publish("echo", "to all");
    caller.end();

    assertThat(answer).isEqualTo("ping");
    assertThat(telemetry.spans()).extracting(SpanData::getName).containsExactly("test.caller");
    assertThat(telemetry.metrics().stream().map(MetricData::getName).toList())
        .contains("vertx.eventbus.pending", "vertx.eventbus.processed", "vertx.eventbus.handlers")
        .doesNotContain(
            "vertx.eventbus.sent",
            "vertx.eventbus.received",
            "vertx.eventbus.delivered",
            "vertx.eventbus.published");
  }
}
