package io.luthien.gateway.api;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.policy.PolicySession;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.stream.StreamRelay;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.UpstreamRoute;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/messages}: validate, turn the request into
 * the canonical shape, let the policy judge it, call the routed provider, let the policy shape the
 * response (whole, or chunk by chunk for streams) and answer the client in the format it speaks.
 */
public final class CompletionHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(CompletionHandler.class);

  private final ClientApi api;
  private final JsonRequestBody body;
  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;
  private final CallOwners owners;

  public CompletionHandler(
      ClientApi api,
      JsonRequestBody body,
      PolicyClient policy,
      Upstreams upstreams,
      UpstreamCalls calls,
      CallRecorder recorder,
      CallOwners owners) {
    this.api = api;
    this.body = body;
    this.policy = policy;
    this.upstreams = upstreams;
    this.calls = calls;
    this.recorder = recorder;
    this.owners = owners;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String callId = CallIds.of(ctx);
    CallTrace trace = CallTrace.of(ctx);
    JsonObject clientRequest = body.of(ctx);
    api.validate(clientRequest);
    trace.describe(
        clientRequest.getString("model"), clientRequest.getBoolean("stream", false), api.name());
    CallOwner owner = owners.of(ctx, clientRequest);
    CallRecord record = CallRecord.begin(ctx, recorder, callId, api, clientRequest, owner);
    JsonObject request = api.toCanonical(clientRequest, ctx.request());
    Promise<Void> clientGone = Promise.promise();
    ctx.response().closeHandler(closed -> clientGone.tryComplete());
    PolicyRequest call =
        new PolicyRequest(callId, api.name(), owner.sessionId(), owner.userId(), request);
    policy
        .request(trace.context(), callId, call)
        .compose(
            reply -> {
              record.requestDecided(reply);
              JsonObject finalRequest = allowedRequest(reply);
              PolicySession session = policy.session(callId, reply);
              Future<Void> answered =
                  finalRequest.getBoolean("stream", false)
                      ? stream(
                          ctx, trace, record, callId, session, finalRequest, clientGone.future())
                      : complete(
                          ctx, trace, record, callId, session, finalRequest, clientGone.future());
              // a call that ends before the policy saw its answer frees its session at once
              return answered.onFailure(failed -> session.release());
            })
        .onFailure(ctx::fail);
  }

  static JsonObject allowedRequest(PolicyRequestReply reply) {
    if (reply.isBlocked()) {
      String message = reply.blocked().message();
      throw new ApiError(
              reply.blocked().status(),
              "policy_violation",
              "request_blocked",
              null,
              message != null ? message : "the request was blocked by policy")
          .asException();
    }
    return PolicyRequests.checked(reply.request());
  }

  /** A failed write means the client left: that is not the call's failure, so it is only logged. */
  private Future<Void> complete(
      RoutingContext ctx,
      CallTrace trace,
      CallRecord record,
      String callId,
      PolicySession session,
      JsonObject request,
      Future<Void> clientGone) {
    UpstreamRoute route = route(ctx, request, record);
    return calls
        .complete(trace, route, clientGone)
        .compose(
            response ->
                session
                    .response(trace.context(), request, response)
                    .map(
                        reply -> {
                          JsonObject answer =
                              api.clientResponse(reply.response(), request.getString("model"));
                          ctx.response()
                              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                              .end(answer.toBuffer())
                              .onSuccess(written -> record.responded(response, reply, answer))
                              .onFailure(
                                  gone -> {
                                    log.info(
                                        "call {}: the client left before the answer was written",
                                        callId);
                                    record.clientLeft();
                                  });
                          return null;
                        }));
  }

  private Future<Void> stream(
      RoutingContext ctx,
      CallTrace trace,
      CallRecord record,
      String callId,
      PolicySession session,
      JsonObject request,
      Future<Void> clientGone) {
    UpstreamRoute route = route(ctx, request, record);
    return calls.stream(trace, route, clientGone)
        .map(
            chunks -> {
              new StreamRelay(
                      callId,
                      ctx.response(),
                      api.newStream(request),
                      chunks,
                      session.stream(),
                      record,
                      calls.streamMeter(trace, route))
                  .start();
              return null;
            });
  }

  private UpstreamRoute route(RoutingContext ctx, JsonObject request, CallRecord record) {
    UpstreamRoute route = UpstreamRoute.resolve(upstreams, request, UpstreamAuth.of(ctx));
    record.routedTo(route.providerName());
    return route;
  }
}
