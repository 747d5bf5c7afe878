package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/responses}: a {@link CompletionHandler} per call, with a {@link
 * ResponsesClientApi} of its own (a response's id derives from its call's). A request that names a
 * {@code previous_response_id} is refused with 400 {@code previous_response_not_found}: the gateway
 * does not yet keep conversations between calls; send the whole conversation as {@code input}
 * instead.
 */
public final class ResponsesHandler implements Handler<RoutingContext> {

  private final JsonRequestBody body;
  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;

  public ResponsesHandler(
      JsonRequestBody body,
      PolicyClient policy,
      Upstreams upstreams,
      UpstreamCalls calls,
      CallRecorder recorder) {
    this.body = body;
    this.policy = policy;
    this.upstreams = upstreams;
    this.calls = calls;
    this.recorder = recorder;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject request = body.parse(ctx.body().buffer());
    if (request.getValue("previous_response_id") != null) {
      throw new ApiError(
              400,
              "invalid_request_error",
              "previous_response_not_found",
              "previous_response_id",
              "previous response '"
                  + request.getValue("previous_response_id")
                  + "' not found: this gateway does not keep responses between calls; send the"
                  + " whole conversation as 'input'")
          .asException();
    }
    new CompletionHandler(
            new ResponsesClientApi(CallIds.of(ctx), List.of()),
            body,
            policy,
            upstreams,
            calls,
            recorder)
        .handle(ctx);
  }
}
