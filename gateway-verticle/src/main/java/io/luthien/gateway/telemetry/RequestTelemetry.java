package io.luthien.gateway.telemetry;

import io.luthien.gateway.api.CallIds;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.shared.telemetry.AttributeCache;
import io.luthien.shared.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Set;

/**
 * What every request through the gateway's router gets: its {@link CallTrace}, a server span named
 * after the route that served it ({@code POST /v1/chat/completions}; unmatched requests keep just
 * the method), and one {@code http.server.request.duration} point when the response ends. A client
 * that hangs up before the end is recorded with status 499 (nginx's "client closed request"), also
 * when a stream's 200 head was already sent.
 */
public final class RequestTelemetry implements Handler<RoutingContext> {

  /** The methods the HTTP semantic conventions name; any other is {@code _OTHER}. */
  private static final Set<HttpMethod> KNOWN_METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.CONNECT,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PATCH);

  private final GatewayMetrics metrics;

  /** Methods, statuses and route templates are few: each set is built once. */
  private final AttributeCache<RequestLabels> attributes =
      new AttributeCache<>(1024, RequestLabels::build);

  public RequestTelemetry(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  /** Runs right after {@link CallIds#assign}, for every request. */
  @Override
  public void handle(RoutingContext ctx) {
    CallTrace trace = CallTrace.begin(ctx, CallIds.of(ctx), System.nanoTime());
    ctx.addEndHandler(ended -> record(ctx, trace));
    ctx.next();
  }

  /**
   * A handler that names the request after {@code template}; the last route that runs one names it.
   * A platform handler, so it may come first on a route, before a body handler.
   */
  public PlatformHandler route(String template) {
    return ctx -> {
      CallTrace.of(ctx).routed(ctx.request().method(), template);
      ctx.next();
    };
  }

  private void record(RoutingContext ctx, CallTrace trace) {
    int status = ctx.response().ended() ? ctx.response().getStatusCode() : CallRecord.CLIENT_CLOSED;
    HttpMethod method = ctx.request().method();
    String methodLabel = KNOWN_METHODS.contains(method) ? method.name() : "_OTHER";
    metrics.httpServerRequest(
        trace.startNanos(), attributes.get(new RequestLabels(methodLabel, status, trace.route())));
  }

  /** The labels of one {@code http.server.request.duration} point; {@code route} may be null. */
  private record RequestLabels(String method, int status, String route) {

    Attributes build() {
      AttributesBuilder attributes =
          Attributes.builder()
              .put(TelemetryNames.HTTP_REQUEST_METHOD, method)
              .put(TelemetryNames.HTTP_RESPONSE_STATUS_CODE, status);
      if (route != null) {
        attributes.put(TelemetryNames.HTTP_ROUTE, route);
      }
      if (status >= 500) {
        attributes.put(TelemetryNames.ERROR_TYPE, String.valueOf(status));
      }
      return attributes.build();
    }
  }
}
