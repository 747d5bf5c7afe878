package io.luthien.gateway.api;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.policy.PolicySession;
import io.luthien.gateway.recording.CallRecord;
import io.luthien.gateway.recording.CallRecorder;
import io.luthien.gateway.stream.ResponsesChunkStream;
import io.luthien.gateway.stream.StreamRelay;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.translate.responses.PassedThroughAnswer;
import io.luthien.gateway.translate.responses.ResponsesAnswers;
import io.luthien.gateway.upstream.ResponsesBackend;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.UpstreamRoute;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.payloads.PolicyRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/responses} to a provider that speaks the Responses API: the policy judges the
 * canonical request, the provider gets the client's Responses request with the policy's changes,
 * the policy sees the answer as canonical (whole, or one chunk per stream event), and the client
 * gets the provider's own answer with the policy's changes ({@link PassedThroughResponsesApi}).
 */
final class ResponsesPassThroughHandler {

  private static final Logger log = LoggerFactory.getLogger(ResponsesPassThroughHandler.class);

  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final CallRecorder recorder;
  private final CallOwners owners;

  ResponsesPassThroughHandler(
      PolicyClient policy,
      Upstreams upstreams,
      UpstreamCalls calls,
      CallRecorder recorder,
      CallOwners owners) {
    this.policy = policy;
    this.upstreams = upstreams;
    this.calls = calls;
    this.recorder = recorder;
    this.owners = owners;
  }

  /**
   * {@code clientRequest} as the client sent it (what is recorded as the original), {@code request}
   * the same with a continued conversation written out.
   */
  void handle(RoutingContext ctx, String callId, JsonObject clientRequest, JsonObject request) {
    CallTrace trace = CallTrace.of(ctx);
    PassedThroughResponsesApi api = new PassedThroughResponsesApi(callId, request);
    trace.describe(
        clientRequest.getString("model"), clientRequest.getBoolean("stream", false), api.name());
    CallOwner owner = owners.of(ctx, clientRequest);
    CallRecord record = CallRecord.begin(ctx, recorder, callId, api, clientRequest, owner);
    JsonObject canonical = api.toCanonical(request);
    Promise<Void> clientGone = Promise.promise();
    ctx.response().closeHandler(closed -> clientGone.tryComplete());
    PolicyRequest call =
        new PolicyRequest(callId, api.name(), owner.sessionId(), owner.userId(), canonical);
    policy
        .request(trace.context(), callId, call)
        .compose(
            reply -> {
              record.requestDecided(reply);
              JsonObject finalRequest = CompletionHandler.allowedRequest(reply);
              PolicySession session = policy.session(callId, reply);
              UpstreamRoute route = route(ctx, finalRequest, record);
              JsonObject upstreamRequest =
                  api.clientRequest(finalRequest)
                      .put("model", route.upstreamRequest().getValue("model"));
              Future<Void> answered =
                  finalRequest.getBoolean("stream", false)
                      ? stream(ctx, trace, record, api, session, route, upstreamRequest, clientGone)
                      : complete(
                          ctx,
                          trace,
                          record,
                          api,
                          session,
                          route,
                          finalRequest,
                          upstreamRequest,
                          clientGone);
              return answered.onFailure(failed -> session.release());
            })
        .onFailure(ctx::fail);
  }

  private Future<Void> complete(
      RoutingContext ctx,
      CallTrace trace,
      CallRecord record,
      PassedThroughResponsesApi api,
      PolicySession session,
      UpstreamRoute route,
      JsonObject finalRequest,
      JsonObject upstreamRequest,
      Promise<Void> clientGone) {
    return calls
        .respond(trace, route, upstreamRequest, ResponsesAnswers::toCanonical, clientGone.future())
        .compose(
            response -> {
              JsonObject canonical = ResponsesAnswers.toCanonical(response);
              return session
                  .response(trace.context(), finalRequest, canonical)
                  .map(
                      reply -> {
                        JsonObject answer =
                            PassedThroughAnswer.forClient(
                                response, api.ids(), canonical, reply.response());
                        ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .end(answer.toBuffer())
                            .onSuccess(
                                written -> {
                                  record.answeredInClientFormat(
                                      response.copy().put("id", api.ids().responseId()), answer);
                                  record.responded(canonical, reply, answer);
                                })
                            .onFailure(
                                gone -> {
                                  log.info(
                                      "call {}: the client left before the answer was written",
                                      CallIds.of(ctx));
                                  record.clientLeft();
                                });
                        return null;
                      });
            });
  }

  private Future<Void> stream(
      RoutingContext ctx,
      CallTrace trace,
      CallRecord record,
      PassedThroughResponsesApi api,
      PolicySession session,
      UpstreamRoute route,
      JsonObject upstreamRequest,
      Promise<Void> clientGone) {
    return calls
        .respondStreaming(
            trace,
            route,
            upstreamRequest,
            events -> ResponsesChunkStream.passingThrough(events, api.events()::upstreamEvent),
            clientGone.future())
        .map(
            chunks -> {
              new StreamRelay(
                      CallIds.of(ctx),
                      ctx.response(),
                      api.newStream(record),
                      chunks,
                      session.stream(),
                      record,
                      calls.streamMeter(trace, route))
                  .start();
              return null;
            });
  }

  /**
   * The final request's provider, which must speak the Responses API too: the request holds what
   * only such a provider can take.
   */
  private UpstreamRoute route(RoutingContext ctx, JsonObject request, CallRecord record) {
    UpstreamRoute route = UpstreamRoute.resolve(upstreams, request, UpstreamAuth.of(ctx));
    record.routedTo(route.providerName());
    if (!(route.provider() instanceof ResponsesBackend)) {
      throw ApiError.invalidRequest(
              "unsupported_route",
              "model",
              "the policy sent this Responses API call to model '"
                  + request.getString("model")
                  + "', served by provider '"
                  + route.providerName()
                  + "', which does not speak the Responses API; the call started on a provider"
                  + " that does")
          .asException();
    }
    return route;
  }
}
