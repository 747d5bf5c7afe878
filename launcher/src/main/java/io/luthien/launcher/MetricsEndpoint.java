package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.tracing.TracingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on the node's metrics port, whatever roles the node runs: Prometheus text, or
 * OpenMetrics (with exemplars) when the scraper asks for it. Scrapes are not traced.
 */
final class MetricsEndpoint extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final NodeTelemetry telemetry;
  private HttpServer server;

  MetricsEndpoint(NodeTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setTracingPolicy(TracingPolicy.IGNORE))
        .requestHandler(this::handle)
        .listen(telemetry.settings().metricsPort(), telemetry.settings().metricsHost())
        .onSuccess(listening -> {
          server = listening;
          log.info("metrics served at http://{}:{}/metrics", telemetry.settings().metricsHost(), listening.actualPort());
        })
        .recover(failure -> Future.failedFuture(new IllegalStateException("cannot serve /metrics on "
            + telemetry.settings().metricsHost() + ":" + telemetry.settings().metricsPort()
            + " (set METRICS_PORT to a free port, or METRICS_PORT=off): " + failure.getMessage(), failure)));
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/metrics")) {
      request.response().setStatusCode(404).end("only /metrics is served here\n");
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
      return;
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    vertx.executeBlocking(() -> telemetry.scrape(accept))
        .onSuccess(scrape -> request.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, scrape.contentType())
            .end(io.vertx.core.buffer.Buffer.buffer(scrape.body())))
        .onFailure(failure -> {
          log.warn("metrics scrape failed: {}", failure.toString());
          request.response().setStatusCode(500).end("metrics scrape failed\n");
        });
  }
}
