package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a policy hook safely and turns its outcome into an event-bus reply. */
final class PolicyCalls {

  private static final Logger log = LoggerFactory.getLogger(PolicyCalls.class);

  private PolicyCalls() {}

  /**
   * A hook that throws, returns null or fails its future becomes a failed future, never an escaped
   * exception.
   */
  static <T> Future<T> invoke(Policy policy, String hook, Supplier<Future<T>> call) {
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(new PolicyFailure(policy, hook, e));
    }
    if (result == null) {
      return Future.failedFuture(
          new PolicyFailure(policy, hook, new NullPointerException("returned null")));
    }
    return result
        .compose(
            value ->
                value == null
                    ? Future.failedFuture(new NullPointerException("completed with null"))
                    : Future.succeededFuture(value))
        .recover(
            error ->
                Future.failedFuture(
                    error instanceof PolicyFailure
                        ? error
                        : new PolicyFailure(policy, hook, error)));
  }

  /**
   * Replies with what {@code work} produces; a malformed message (its payload's {@code fromJson}
   * throws) gets a BAD_MESSAGE reply.
   */
  static void reply(Message<JsonObject> message, Supplier<Future<JsonObject>> work) {
    Future<JsonObject> outcome;
    try {
      outcome = work.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(
        done -> {
          if (done.succeeded()) {
            message.reply(done.result());
          } else {
            fail(message, done.cause());
          }
        });
  }

  static void fail(Message<JsonObject> message, Throwable error) {
    String callId = callIdForLogs(message);
    if (error instanceof PolicyFailure) {
      log.warn("call {}: {}", callId, error.getMessage());
      message.fail(FailureCodes.POLICY_FAILED, error.getMessage());
    } else if (error instanceof CandidatePolicies.CandidateRefusedException) {
      log.info("call {}: candidate policy refused: {}", callId, error.getMessage());
      message.fail(FailureCodes.CANDIDATE_REFUSED, error.getMessage());
    } else if (error instanceof UnknownStreamException) {
      log.warn("call {}: {}", callId, error.getMessage());
      message.fail(FailureCodes.UNKNOWN_STREAM, error.getMessage());
    } else {
      log.warn("call {}: bad policy message: {}", callId, error.toString());
      message.fail(FailureCodes.BAD_MESSAGE, "bad policy message: " + error.getMessage());
    }
  }

  /**
   * The body's call id when it has a readable one. Read leniently: a malformed body is what is
   * being reported, and a failure here would leave the message without any reply.
   */
  private static String callIdForLogs(Message<JsonObject> message) {
    Object body = message.body();
    return body instanceof JsonObject json && json.getValue(Fields.CALL_ID) instanceof String callId
        ? callId
        : null;
  }

  static final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PolicyFailure(Policy policy, String hook, Throwable cause) {
      super(policy.name() + "." + hook + " failed: " + cause, cause, false, false);
    }
  }

  static final class UnknownStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownStreamException(String callId) {
      super(
          "no open policy stream for call " + callId + " (closed, expired or never opened)",
          null,
          false,
          false);
    }
  }
}
