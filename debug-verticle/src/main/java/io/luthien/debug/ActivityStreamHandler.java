package io.luthien.debug;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /activity/stream}: an SSE response that receives the node's latest activity events,
 * then the live feed (both filtered) until the browser leaves, with a comment line every heartbeat
 * period so proxies and browsers keep the connection open. A reconnecting browser's {@code
 * Last-Event-ID} header (or {@code last_event_id} parameter, for a page that opens a new
 * EventSource itself) limits the replay to what it has not seen.
 */
final class ActivityStreamHandler {

  private static final String RECONNECT_AFTER = "retry: 2000\n\n";

  private final Vertx vertx;
  private final ActivityHub hub;
  private final long heartbeatMillis;

  ActivityStreamHandler(Vertx vertx, ActivityHub hub, long heartbeatMillis) {
    this.vertx = vertx;
    this.hub = hub;
    this.heartbeatMillis = heartbeatMillis;
  }

  void handle(RoutingContext ctx) {
    ActivityFilter filter = ActivityFilter.parse(ctx.queryParams());
    HttpServerResponse response =
        ctx.response()
            .setChunked(true)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
            .putHeader("X-Accel-Buffering", "no");
    ActivityHub.Listener listener = new ActivityHub.Listener(response, filter);
    long heartbeat = vertx.setPeriodic(heartbeatMillis, id -> response.write(": heartbeat\n\n"));
    response.closeHandler(
        closed -> {
          vertx.cancelTimer(heartbeat);
          hub.remove(listener);
        });
    response.write(RECONNECT_AFTER);
    hub.subscribe(listener, lastEventId(ctx));
  }

  private static String lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    return header != null ? header : ctx.queryParams().get("last_event_id");
  }
}
