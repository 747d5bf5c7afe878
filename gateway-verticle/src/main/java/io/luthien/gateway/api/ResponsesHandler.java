package io.luthien.gateway.api;

import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/responses}: a {@link CompletionHandler} per call, with a {@link
 * ResponsesClientApi} of its own (a response's id derives from its call's). A request that names a
 * {@code previous_response_id} first gets that conversation back from the recording ({@link
 * RecordedResponses}).
 */
public final class ResponsesHandler implements Handler<RoutingContext> {

  private final JsonRequestBody body;
  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;
  private final RecordedResponses previous;
  private final CallOwners owners;

  public ResponsesHandler(
      Vertx vertx,
      JsonRequestBody body,
      PolicyClient policy,
      Upstreams upstreams,
      UpstreamCalls calls,
      CallRecorder recorder,
      CallOwners owners) {
    this.body = body;
    this.policy = policy;
    this.upstreams = upstreams;
    this.calls = calls;
    this.recorder = recorder;
    this.previous = new RecordedResponses(vertx);
    this.owners = owners;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject request = body.of(ctx);
    ResponsesRequests.validate(request);
    String callId = CallIds.of(ctx);
    if (!(request.getValue("previous_response_id") instanceof String previousId)) {
      answer(ctx, callId, List.of());
      return;
    }
    previous
        .history(callId, previousId)
        .onSuccess(
            history -> {
              try {
                answer(ctx, callId, history);
              } catch (RuntimeException refused) {
                ctx.fail(refused);
              }
            })
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, String callId, List<JsonObject> history) {
    new CompletionHandler(
            new ResponsesClientApi(callId, history),
            body,
            policy,
            upstreams,
            calls,
            recorder,
            owners)
        .handle(ctx);
  }
}
