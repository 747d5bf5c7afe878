package io.luthien.launcher;

import io.luthien.shared.telemetry.NodeTelemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node port ({@code METRICS_PORT}), whatever roles the node runs: {@code GET /metrics} in
 * Prometheus text, or OpenMetrics (with exemplars) when the scraper asks for it, and {@code GET
 * /health}, 200 once every role is deployed and 503 before, and {@code GET /ready}, 200 only while
 * the node can do its job (every role deployed, its embedded PostgreSQL running, its recorders able
 * to write), both with the same JSON. With telemetry off only these two are served. Nothing here is
 * traced.
 */
final class NodeEndpoint extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(NodeEndpoint.class);

  private final NodeTelemetry telemetry;
  private final NodeHealth health;
  private HttpServer server;

  NodeEndpoint(NodeTelemetry telemetry, NodeHealth health) {
    this.telemetry = telemetry;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(new HttpServerOptions().setTracingPolicy(TracingPolicy.IGNORE))
        .requestHandler(this::handle)
        .listen(telemetry.settings().metricsPort(), telemetry.settings().metricsHost())
        .onSuccess(listening -> server = listening)
        .recover(PortInUse.explain(address()));
  }

  ListenAddress address() {
    return new ListenAddress(
        "METRICS_PORT", telemetry.settings().metricsHost(), telemetry.settings().metricsPort());
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    boolean metrics = telemetry.enabled() && request.path().equals("/metrics");
    boolean readiness = request.path().equals("/ready");
    if (!metrics && !readiness && !request.path().equals("/health")) {
      request
          .response()
          .setStatusCode(404)
          .end(
              telemetry.enabled()
                  ? "only /metrics, /health and /ready are served here\n"
                  : "telemetry is off (OTEL_ENABLED=false): only /health and /ready are served here\n");
      return;
    }
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
      return;
    }
    if (metrics) {
      scrape(request);
    } else {
      JsonObject state = health.toJson();
      boolean ok = readiness ? "up".equals(state.getString("status")) : health.isReady();
      request
          .response()
          .setStatusCode(ok ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(state.encode());
    }
  }

  private void scrape(HttpServerRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    vertx
        .executeBlocking(() -> telemetry.scrape(accept))
        .onSuccess(
            scrape ->
                request
                    .response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, scrape.contentType())
                    .end(io.vertx.core.buffer.Buffer.buffer(scrape.body())))
        .onFailure(
            failure -> {
              log.warn("metrics scrape failed: {}", failure.toString());
              request.response().setStatusCode(500).end("metrics scrape failed\n");
            });
  }
}
