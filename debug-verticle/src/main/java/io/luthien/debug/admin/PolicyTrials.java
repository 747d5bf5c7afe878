package io.luthien.debug.admin;

import io.luthien.canonical.Completions;
import io.luthien.debug.CallDiff;
import io.luthien.debug.api.ApiProblem;
import io.luthien.debug.api.ApiRequest;
import io.luthien.debug.api.ApiRouter;
import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.payloads.ApiAnswer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * What a candidate policy would do, before anyone turns it on: a test chat (a real model call
 * through the candidate) and a replay of recorded calls (their original requests and upstream
 * answers through the candidate, with no new model call). A gateway node runs each call ({@link
 * Addresses#POLICY_TRIAL}); this node reads the recording and compares.
 */
public final class PolicyTrials {

  private static final long TRIAL_TIMEOUT_MS = 300_000;

  private final EventBus bus;
  private final ReplayedCalls recorded;

  public PolicyTrials(EventBus bus, Pool pool) {
    this.bus = bus;
    this.recorded = new ReplayedCalls(pool);
  }

  public void register(ApiRouter router) {
    router.route("POST", "/api/admin/test/chat", this::testChat);
    router.route("POST", "/api/admin/replay", this::replay);
  }

  /**
   * {@code {policy_class_ref?, config?, model, messages | message, stream?}}: the candidate (the
   * active policy when none is named) on a real call; the answer before and after it.
   */
  private Future<ApiAnswer> testChat(ApiRequest request) {
    JsonObject body = request.json();
    if (!(body.getValue(Fields.MODEL) instanceof String model) || model.isBlank()) {
      throw ApiProblem.badRequest("model is required");
    }
    JsonArray messages = messages(body);
    Object stream = body.getValue(Fields.STREAM);
    if (stream != null && !(stream instanceof Boolean)) {
      throw ApiProblem.badRequest("stream must be true or false");
    }
    JsonObject chat =
        new JsonObject()
            .put(Fields.MODEL, model)
            .put("messages", messages)
            .put(Fields.STREAM, Boolean.TRUE.equals(stream));
    JsonObject trial =
        new JsonObject().put(Fields.API, Fields.API_OPENAI).put(Fields.REQUEST, chat);
    JsonObject candidate = Candidates.of(body);
    if (candidate != null) {
      trial.put(Fields.CANDIDATE, candidate);
    }
    return run(trial)
        .map(
            result -> {
              JsonObject response = result.getJsonObject(Fields.RESPONSE);
              JsonObject answer =
                  new JsonObject()
                      .put("success", true)
                      .put(Fields.CALL_ID, result.getString(Fields.CALL_ID))
                      .put(Fields.MODEL, model)
                      .put("before_content", text(response, Fields.ORIGINAL))
                      .put("content", text(response, Fields.FINAL))
                      .put(Fields.REQUEST, result.getJsonObject(Fields.REQUEST))
                      .put(Fields.RESPONSE, response)
                      .put("events", result.getJsonArray("events", new JsonArray()))
                      .put(
                          "diff", CallDiff.compute(result.getJsonObject(Fields.REQUEST), response));
              JsonObject blocked = result.getJsonObject(Fields.REQUEST).getJsonObject("blocked");
              if (blocked != null) {
                answer.put("blocked", blocked);
              }
              return ApiAnswer.json(200, answer);
            });
  }

  /**
   * {@code {call_id | call_ids | last, policy_class_ref?, config?}}: each recorded call's original
   * request and upstream answer through the candidate; per call the diff of what the candidate
   * makes of it ({@code diff}, the shape of {@code /debug/calls/{id}/diff}) and against what was
   * recorded ({@code against_recorded}), and a summary.
   */
  private Future<ApiAnswer> replay(ApiRequest request) {
    JsonObject body = request.json();
    JsonObject candidate = Candidates.of(body);
    return ReplaySelection.of(body, recorded)
        .compose(
            calls -> {
              Future<List<JsonObject>> replayed = Future.succeededFuture(new ArrayList<>());
              for (ReplayedCalls.Recorded call : calls) {
                replayed =
                    replayed.compose(
                        done ->
                            replayOne(call, candidate)
                                .map(
                                    result -> {
                                      done.add(result);
                                      return done;
                                    }));
              }
              return replayed;
            })
        .map(results -> ApiAnswer.json(200, ReplayReport.of(results)));
  }

  private Future<JsonObject> replayOne(ReplayedCalls.Recorded call, JsonObject candidate) {
    JsonObject requestEvent = call.request();
    JsonObject responseEvent = call.response();
    if (requestEvent == null
        || requestEvent.getJsonObject(Fields.BLOCKED) != null
        || responseEvent == null
        || responseEvent.getJsonObject(Fields.ORIGINAL) == null
        || !Integer.valueOf(200).equals(call.status())) {
      return Future.succeededFuture(
          ReplayReport.skipped(
              call.callId(),
              "the call has no recorded upstream answer to replay (status " + call.status() + ")"));
    }
    JsonObject trial =
        new JsonObject()
            .put(Fields.API, call.api())
            .put(Fields.REQUEST, requestEvent.getJsonObject(Fields.ORIGINAL))
            .put(Fields.RECORDED_RESPONSE, responseEvent.getJsonObject(Fields.ORIGINAL))
            .put(Fields.CALL_ID, call.callId());
    if (candidate != null) {
      trial.put(Fields.CANDIDATE, candidate);
    }
    return run(trial)
        .map(result -> ReplayReport.replayed(call, result))
        .recover(
            failure -> {
              // a refused candidate is the same for every call: the whole replay is a 400
              if (failure instanceof ApiProblem problem
                  && problem.status() == 400
                  && problem.getMessage().startsWith("candidate_refused")) {
                return Future.failedFuture(problem);
              }
              return Future.succeededFuture(
                  ReplayReport.failed(call.callId(), failure.getMessage()));
            });
  }

  private Future<JsonObject> run(JsonObject trial) {
    return bus.<JsonObject>request(
            Addresses.POLICY_TRIAL, trial, new DeliveryOptions().setSendTimeout(TRIAL_TIMEOUT_MS))
        .map(Message::body)
        .recover(
            failure -> {
              if (failure instanceof ReplyException reply) {
                if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                  return Future.failedFuture(
                      ApiProblem.unavailable("no gateway node runs in the cluster"));
                }
                if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                    && reply.failureCode() >= 400
                    && reply.failureCode() < 600) {
                  return Future.failedFuture(
                      new ApiProblem(reply.failureCode(), "trial_failed", reply.getMessage()));
                }
              }
              return Future.failedFuture(failure);
            });
  }

  private static JsonArray messages(JsonObject body) {
    if (body.getValue("messages") instanceof JsonArray messages && !messages.isEmpty()) {
      return messages;
    }
    if (body.getValue("message") instanceof String message && !message.isBlank()) {
      return new JsonArray().add(new JsonObject().put("role", "user").put("content", message));
    }
    throw ApiProblem.badRequest("messages is required (a list of {role, content})");
  }

  /** The assistant text of one side of a test chat's answer (a chat completion), or null. */
  private static String text(JsonObject response, String side) {
    return response == null ? null : Completions.text(response.getJsonObject(side));
  }
}
