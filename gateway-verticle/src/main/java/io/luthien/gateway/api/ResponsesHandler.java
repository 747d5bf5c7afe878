package io.luthien.gateway.api;

import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.translate.responses.ResponsesBackendRequests;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.Fields;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/responses}: a {@link CompletionHandler} per call, with a {@link
 * ResponsesClientApi} of its own (a response's id derives from its call's). A request that names a
 * {@code previous_response_id} first gets that conversation back from the recording ({@link
 * RecordedResponses}). A model routed to a provider that speaks the Responses API itself goes
 * through {@link ResponsesPassThroughHandler} instead.
 */
public final class ResponsesHandler implements Handler<RoutingContext> {

  private final JsonRequestBody body;
  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;
  private final RecordedResponses previous;
  private final ResponsesPassThroughHandler passThrough;
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
    this.passThrough = new ResponsesPassThroughHandler(policy, upstreams, calls, recorder, owners);
    this.owners = owners;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject request = body.of(ctx);
    ResponsesRequests.validate(request);
    String callId = CallIds.of(ctx);
    if (upstreams.speaksResponses(request.getString("model"))) {
      passThrough(ctx, callId, request);
      return;
    }
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

  /** To a Responses API backend, the conversation written out in its input when continued. */
  private void passThrough(RoutingContext ctx, String callId, JsonObject request) {
    if (!(request.getValue("previous_response_id") instanceof String previousId)) {
      passThrough.handle(ctx, callId, request, request);
      return;
    }
    previous
        .previous(callId, previousId)
        .onSuccess(
            exchange -> {
              try {
                passThrough.handle(
                    ctx,
                    callId,
                    request,
                    ResponsesBackendRequests.continuing(
                        request,
                        exchange.getJsonObject(Fields.EVENT_REQUEST),
                        exchange.getJsonObject(Fields.EVENT_RESPONSE)));
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
