package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;

/**
 * Refuses a body declared as a form before the body handler sees it: Vert.x would decode it as form
 * fields (and fail on a field over 1 KiB) instead of keeping it whole for the JSON reader. {@code
 * curl -d} sends this type by default; every other type (or none) is read as JSON. A platform
 * handler, so it may come before the body handler on a route.
 */
public final class FormBodies implements PlatformHandler {

  public static final FormBodies REFUSED = new FormBodies();

  private FormBodies() {}

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT).strip();
    if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
      ctx.fail(
          new ApiError(
                  415,
                  "invalid_request_error",
                  "unsupported_media_type",
                  null,
                  "request body must be JSON sent with Content-Type: application/json, not "
                      + type.strip())
              .asException());
      return;
    }
    ctx.next();
  }
}
