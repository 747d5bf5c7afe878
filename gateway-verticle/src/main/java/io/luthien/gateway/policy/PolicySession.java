package io.luthien.gateway.policy;

import io.luthien.gateway.error.ApiError;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.payloads.PolicyRelease;
import io.luthien.shared.payloads.PolicyResponse;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's session at the policy instance that took its request: the whole answer, or the stream
 * ({@link #stream()}), goes there, so one policy context sees the whole call. If that instance is
 * gone (its node left, or it dropped the session), the call fails with a 503 {@code
 * policy_session_lost} at once.
 */
public final class PolicySession {

  private static final Logger log = LoggerFactory.getLogger(PolicySession.class);

  private final PolicyClient client;
  private final String callId;
  private final String address;
  private final long timeoutMillis;
  private boolean ended;

  PolicySession(PolicyClient client, String callId, String address, long timeoutMillis) {
    this.client = client;
    this.callId = callId;
    this.address = address;
    this.timeoutMillis = timeoutMillis;
  }

  /** The final whole answer, plus the policy's events; the session ends with it. */
  public Future<PolicyResponseReply> response(
      Context trace, JsonObject request, JsonObject response) {
    ended = true;
    return lost(
        client
            .ask(
                trace,
                address,
                callId,
                new PolicyResponse(callId, request, response).toJson(),
                timeoutMillis)
            .map(PolicyResponseReply::fromJson));
  }

  /** The call's stream at the policy; its close ends the session. */
  public PolicyStream stream() {
    ended = true;
    return new PolicyStream(this, callId);
  }

  /** The call ended before the policy saw its answer: the session goes (best effort). */
  public void release() {
    if (ended) {
      return;
    }
    ended = true;
    client
        .askUntraced(address, callId, new PolicyRelease(callId).toJson(), timeoutMillis)
        .onFailure(
            failure ->
                log.debug(
                    "call {}: releasing the policy session failed: {}",
                    callId,
                    failure.getMessage()));
  }

  Future<JsonObject> askUntraced(JsonObject body) {
    return lost(client.askUntraced(address, callId, body, timeoutMillis));
  }

  /** No handler at the session's address, or an instance that no longer knows the call: 503. */
  private <T> Future<T> lost(Future<T> reply) {
    return reply.recover(
        failure -> {
          if (failure instanceof ReplyException bus
              && (bus.failureType() == ReplyFailure.NO_HANDLERS
                  || (bus.failureType() == ReplyFailure.RECIPIENT_FAILURE
                      && bus.failureCode() == FailureCodes.UNKNOWN_STREAM))) {
            return Future.failedFuture(
                new ApiError(
                        503,
                        "service_unavailable",
                        "policy_session_lost",
                        null,
                        "the policy node holding call "
                            + callId
                            + "'s session is gone or no longer knows it; retry the call")
                    .asException());
          }
          return Future.failedFuture(failure);
        });
  }
}
