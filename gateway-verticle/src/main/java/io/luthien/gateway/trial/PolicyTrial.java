package io.luthien.gateway.trial;

import io.luthien.gateway.api.ClientApi;
import io.luthien.gateway.api.PolicyRequests;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.policy.PolicySession;
import io.luthien.gateway.stream.ListChunkStream;
import io.luthien.gateway.telemetry.CallTrace;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.UpstreamRoute;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Runs one call through a policy the way a client's call goes (its request hook, then its whole
 * answer or its stream at the same session), with no client and no record. The answer is the
 * recorded one, replayed (a streamed call's cut back into chunks), or the model's, asked with the
 * policy's final request through the gateway's routes and its own provider keys.
 */
final class PolicyTrial {

  private final Vertx vertx;
  private final PolicyClient policy;
  private final Upstreams upstreams;
  private final UpstreamCalls calls;
  private final TrialClientApis apis;

  PolicyTrial(
      Vertx vertx,
      PolicyClient policy,
      Upstreams upstreams,
      UpstreamCalls calls,
      TrialClientApis apis) {
    this.vertx = vertx;
    this.policy = policy;
    this.upstreams = upstreams;
    this.calls = calls;
    this.apis = apis;
  }

  /** The trial's outcome: {@code {call_id, request, response?, events}}. */
  Future<JsonObject> run(TrialRequest trial, String callId) {
    return apis.of(trial.api(), callId, trial.request()).compose(api -> run(trial, callId, api));
  }

  private Future<JsonObject> run(TrialRequest trial, String callId, ClientApi api) {
    JsonObject original = trial.request().copy();
    api.validate(original);
    JsonObject canonical = api.toCanonical(original.copy());
    JsonObject recorded =
        trial.replay() ? RecordedAnswers.toCanonical(trial.api(), trial.recordedResponse()) : null;
    CallTrace trace = CallTrace.ofMessage(Context.root(), callId);
    trace.describe(
        original.getString(Fields.MODEL), original.getBoolean("stream", false), api.name());
    TrialEvents events = new TrialEvents();
    PolicyRequest call =
        new PolicyRequest(callId, api.name(), null, null, canonical, trial.candidate());
    return policy
        .request(trace.context(), callId, call)
        .compose(
            reply -> {
              events.add(TrialEvents.REQUEST, reply.events());
              JsonObject requestPart = new JsonObject().put(Fields.ORIGINAL, original);
              if (reply.isBlocked()) {
                requestPart.putNull(Fields.FINAL).put(Fields.BLOCKED, reply.blocked().toJson());
                return Future.succeededFuture(outcome(callId, requestPart, null, events));
              }
              requestPart.put(Fields.FINAL, api.clientRequest(reply.request()));
              String model = original.getString(Fields.MODEL);
              return answered(callId, trace, reply, recorded, events)
                  .map(
                      answer ->
                          outcome(
                              callId,
                              requestPart,
                              new JsonObject()
                                  .put(
                                      Fields.ORIGINAL, api.clientResponse(answer.original(), model))
                                  .put(Fields.FINAL, api.clientResponse(answer.delivered(), model))
                                  .put(Fields.STATUS, 200),
                              events));
            });
  }

  /** The answer through the session the request opened; a trial that fails frees it. */
  private Future<TrialAnswer> answered(
      String callId,
      CallTrace trace,
      PolicyRequestReply reply,
      JsonObject recorded,
      TrialEvents events) {
    PolicySession session = policy.session(callId, reply);
    return Future.succeededFuture(reply.request())
        .map(PolicyRequests::checked)
        .compose(
            request -> {
              boolean stream = request.getBoolean("stream", false);
              if (recorded != null) {
                return stream
                    ? StreamThroughPolicy.run(
                        new ListChunkStream(vertx.getOrCreateContext(), ReplayChunks.of(recorded)),
                        session::stream,
                        events)
                    : whole(trace, session, request, recorded, events);
              }
              UpstreamRoute route = UpstreamRoute.resolve(upstreams, request);
              Future<Void> noClient = Promise.<Void>promise().future();
              return stream
                  ? calls.stream(trace, route, noClient)
                      .compose(chunks -> StreamThroughPolicy.run(chunks, session::stream, events))
                  : calls
                      .complete(trace, route, noClient)
                      .compose(answer -> whole(trace, session, request, answer, events));
            })
        .onFailure(failed -> session.release());
  }

  private static Future<TrialAnswer> whole(
      CallTrace trace,
      PolicySession session,
      JsonObject request,
      JsonObject answer,
      TrialEvents events) {
    return session
        .response(trace.context(), request, answer)
        .map(
            reply -> {
              events.add(TrialEvents.RESPONSE, reply.events());
              return new TrialAnswer(answer, reply.response());
            });
  }

  private static JsonObject outcome(
      String callId, JsonObject request, JsonObject response, TrialEvents events) {
    JsonObject outcome = new JsonObject().put(Fields.CALL_ID, callId).put(Fields.REQUEST, request);
    if (response != null) {
      outcome.put(Fields.RESPONSE, response);
    }
    return outcome.put(Fields.EVENTS, events.toJson());
  }
}
