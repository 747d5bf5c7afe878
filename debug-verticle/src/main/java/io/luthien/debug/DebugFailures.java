package io.luthien.debug;

import io.luthien.debug.api.StorageOutage;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers every failed debug request with its status and {@code {"error": {type, message}}}. */
final class DebugFailures {

  private static final Logger log = LoggerFactory.getLogger(DebugFailures.class);

  private DebugFailures() {}

  static void respond(RoutingContext ctx) {
    if (ctx.response().closed()) {
      return;
    }
    DebugError error = toError(ctx);
    if (error.status() >= 500) {
      log.warn(
          "{} {} failed: {}",
          ctx.request().method(),
          ctx.request().path(),
          error.getMessage(),
          error.status() == 500 ? ctx.failure() : null);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error.toJson().toBuffer());
  }

  private static DebugError toError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DebugError known) {
      return known;
    }
    if (StorageOutage.is(failure)) {
      return new DebugError(
          503,
          "storage_unavailable",
          "the call store is not reachable right now: " + failure.getMessage());
    }
    if (failure != null) {
      return new DebugError(
          500, "server_error", "internal error: " + failure.getClass().getSimpleName());
    }
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    return new DebugError(
        status,
        status == 404 ? "not_found_error" : "invalid_request_error",
        status == 404
            ? "no such debug route: " + ctx.request().path()
            : "request failed with HTTP " + status);
  }
}
