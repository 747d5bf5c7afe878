package io.luthien.gateway.trial;

import io.luthien.gateway.api.RecordedResponses;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.ApiErrors;
import io.luthien.gateway.policy.PolicyClient;
import io.luthien.gateway.upstream.UpstreamCalls;
import io.luthien.gateway.upstream.Upstreams;
import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.luthien.shared.Addresses#POLICY_TRIAL}: one call through a candidate policy (or the
 * active one) without activating it, under a call id of its own, recorded nowhere; one log line per
 * trial. Fails with the HTTP status the client would have got: 400 for a body or candidate that
 * cannot be used (the text names the field, class or key), 503 with no policy node, the upstream's
 * status when the model call fails.
 */
public final class PolicyTrialHandler implements Handler<Message<JsonObject>> {

  private static final Logger log = LoggerFactory.getLogger(PolicyTrialHandler.class);

  private final PolicyTrial trials;

  /** Must be created on the event loop that will use it, as {@code policy} was. */
  public PolicyTrialHandler(
      Vertx vertx, PolicyClient policy, Upstreams upstreams, UpstreamCalls calls) {
    this.trials =
        new PolicyTrial(
            vertx, policy, upstreams, calls, new TrialClientApis(new RecordedResponses(vertx)));
  }

  @Override
  public void handle(Message<JsonObject> message) {
    String callId = UUID.randomUUID().toString();
    Object body = message.body();
    Future<JsonObject> outcome;
    TrialRequest trial = null;
    try {
      trial = TrialRequest.fromJson(body);
      outcome = trials.run(trial, callId);
    } catch (RuntimeException refused) {
      outcome = Future.failedFuture(refused);
    }
    String subject = subject(callId, trial);
    outcome
        .onSuccess(
            reply -> {
              log.info("{}: {}", subject, result(reply));
              message.reply(reply);
            })
        .onFailure(
            failure -> {
              ApiError error = ApiErrors.from(failure, callId);
              log.info("{}: failed with {} {}", subject, error.status(), error.code());
              message.fail(
                  error.status(),
                  error.code() == null ? error.message() : error.code() + ": " + error.message());
            });
  }

  private static String subject(String callId, TrialRequest trial) {
    if (trial == null) {
      return "policy trial " + callId;
    }
    return "policy trial "
        + callId
        + (trial.replayedCallId() == null ? "" : " (replay of " + trial.replayedCallId() + ")")
        + " on "
        + (trial.candidate() == null ? "the active policy" : trial.candidateClass());
  }

  private static String result(JsonObject reply) {
    JsonObject request = reply.getJsonObject(Fields.REQUEST);
    JsonObject blocked = request.getJsonObject(Fields.BLOCKED);
    if (blocked != null) {
      return "request blocked with " + blocked.getInteger(Fields.STATUS);
    }
    JsonObject response = reply.getJsonObject(Fields.RESPONSE);
    boolean changed =
        !response.getValue(Fields.ORIGINAL).equals(response.getValue(Fields.FINAL))
            || !request.getValue(Fields.ORIGINAL).equals(request.getValue(Fields.FINAL));
    return changed ? "answered, changed by the policy" : "answered, unchanged";
  }
}
