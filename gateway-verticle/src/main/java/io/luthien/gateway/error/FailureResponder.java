package io.luthien.gateway.error;

import io.luthien.gateway.api.CallIds;
import io.luthien.gateway.api.CallOwners;
import io.luthien.gateway.api.ClientApi;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.telemetry.GatewayMetrics;
import io.luthien.gateway.upstream.UpstreamHttpException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every failed request in the error shape of the API its path belongs to (OpenAI's, or
 * Anthropic's on {@code /v1/messages}); the X-Call-ID header set at the start stays. A request
 * refused before any upstream call (a 4xx of the gateway's own) is logged once at INFO with its
 * call id, status, code and message, counted, and recorded as a call with that status (on {@code
 * /v1/*}: a refusal that came before the body was read is recorded with an empty request).
 */
public final class FailureResponder {

  private static final Logger log = LoggerFactory.getLogger(FailureResponder.class);

  private static final String API_PREFIX = "/v1/";

  private final long maxBodyBytes;
  private final CallRecorder recorder;
  private final GatewayMetrics metrics;
  private final CallOwners owners;

  public FailureResponder(
      long maxBodyBytes, CallRecorder recorder, GatewayMetrics metrics, CallOwners owners) {
    this.maxBodyBytes = maxBodyBytes;
    this.recorder = recorder;
    this.metrics = metrics;
    this.owners = owners;
  }

  public void respond(RoutingContext ctx) {
    String callId = CallIds.of(ctx);
    CallRecord record = CallRecord.of(ctx);
    if (ctx.response().closed()) {
      if (record != null) {
        record.clientLeft();
      }
      log.info(
          "call {}: the client closed the connection before the answer ({} {})",
          callId,
          ctx.request().method(),
          ctx.request().path());
      return;
    }
    ApiError error = ctx.failure() != null ? ApiErrors.from(ctx.failure(), callId) : forStatus(ctx);
    if (refusal(ctx, error)) {
      log.info(
          "call {}: refused {} {} with {} {}: {}",
          callId,
          ctx.request().method(),
          ctx.request().path(),
          error.status(),
          error.code(),
          error.message());
      metrics.refused(error.status(), error.code(), CallTrace.of(ctx).route());
      if (record == null && ctx.request().path().startsWith(API_PREFIX)) {
        record =
            CallRecord.begin(
                ctx,
                recorder,
                callId,
                ClientApi.forPath(ctx.request().path()),
                new JsonObject(),
                owners.of(ctx, new JsonObject()));
      }
    }
    if (record != null) {
      record.failed(error);
    }
    if (error.status() >= 500) {
      log.warn(
          "call {}: {} {} failed with {}: {}",
          callId,
          ctx.request().method(),
          ctx.request().path(),
          error.status(),
          error.message(),
          unexpected(error) ? ctx.failure() : null);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(ClientApi.forPath(ctx.request().path()).errorBody(error).toBuffer());
  }

  /** A 4xx of the gateway's own: no upstream answered it. */
  private static boolean refusal(RoutingContext ctx, ApiError error) {
    return error.status() >= 400
        && error.status() < 500
        && !(ctx.failure() instanceof UpstreamHttpException);
  }

  /** Only failures nobody anticipated deserve a stack trace in the log. */
  private static boolean unexpected(ApiError error) {
    return "internal_error".equals(error.code());
  }

  private ApiError forStatus(RoutingContext ctx) {
    int status = ctx.statusCode();
    String target = ctx.request().method() + " " + ctx.request().path();
    return switch (status) {
      case 404 ->
          new ApiError(
              404, "invalid_request_error", "unknown_url", null, "Invalid URL (" + target + ")");
      case 405 ->
          new ApiError(
              405,
              "invalid_request_error",
              "method_not_allowed",
              null,
              "method not allowed (" + target + ")");
      case 413 ->
          new ApiError(
              413,
              "invalid_request_error",
              "request_too_large",
              null,
              "request body is larger than " + maxBodyBytes + " bytes");
      default ->
          new ApiError(
              status < 400 ? 500 : status,
              status >= 500 ? "server_error" : "invalid_request_error",
              null,
              null,
              "request failed with HTTP " + status);
    };
  }
}
