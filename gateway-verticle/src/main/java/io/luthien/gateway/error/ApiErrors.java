package io.luthien.gateway.error;

import io.luthien.gateway.upstream.UpstreamHttpException;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** The one place where a failure of any hop becomes the HTTP error the client sees. */
public final class ApiErrors {

  private ApiErrors() {}

  public static ApiError from(Throwable failure, String callId) {
    if (failure instanceof GatewayException known) {
      return known.error();
    }
    if (failure instanceof ReplyException reply) {
      return fromPolicyReply(reply, callId);
    }
    if (failure instanceof MalformedPayloadException malformed) {
      return new ApiError(
          500,
          "server_error",
          "policy_protocol_error",
          null,
          "the policy node answered call "
              + callId
              + " with a reply that breaks the contract: "
              + malformed.getMessage());
    }
    if (failure instanceof UpstreamHttpException upstream) {
      return new ApiError(
          upstream.status(), upstream.type(), upstream.code(), null, upstream.getMessage());
    }
    if (failure instanceof TimeoutException) {
      return new ApiError(
          504,
          "timeout_error",
          "upstream_timeout",
          null,
          "the upstream provider did not answer in time: " + failure.getMessage());
    }
    if (failure instanceof HttpClosedException || failure instanceof ClosedChannelException) {
      return new ApiError(
          502,
          "upstream_error",
          "upstream_connection_closed",
          null,
          "the upstream provider closed the connection: " + failure.getMessage());
    }
    if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
      return new ApiError(
          502,
          "upstream_error",
          "upstream_unreachable",
          null,
          "the upstream provider could not be reached: " + failure.getMessage());
    }
    return new ApiError(
        500,
        "server_error",
        "internal_error",
        null,
        // the failure's class and message stay in the log (FailureResponder logs its stack trace)
        "internal gateway error (call " + callId + "); the gateway's log has the details");
  }

  private static ApiError fromPolicyReply(ReplyException reply, String callId) {
    return switch (reply.failureType()) {
      case TIMEOUT ->
          new ApiError(
              504,
              "timeout_error",
              "policy_timeout",
              null,
              "the policy did not answer in time (call " + callId + ")");
      case NO_HANDLERS ->
          new ApiError(
              503,
              "service_unavailable",
              "policy_unavailable",
              null,
              "no policy node is available (call " + callId + ")");
      case RECIPIENT_FAILURE ->
          switch (reply.failureCode()) {
            case FailureCodes.POLICY_FAILED ->
                new ApiError(
                    500,
                    "policy_error",
                    "policy_failed",
                    null,
                    "the policy failed on call " + callId + ": " + reply.getMessage());
            case FailureCodes.CANDIDATE_REFUSED ->
                ApiError.invalidRequest("candidate_refused", "candidate", reply.getMessage());
            default ->
                new ApiError(
                    500,
                    "server_error",
                    "policy_protocol_error",
                    null,
                    "the policy node refused call " + callId + ": " + reply.getMessage());
          };
      case ERROR ->
          new ApiError(
              500,
              "server_error",
              "event_bus_error",
              null,
              "the event bus failed on call " + callId + ": " + reply.getMessage());
    };
  }
}
