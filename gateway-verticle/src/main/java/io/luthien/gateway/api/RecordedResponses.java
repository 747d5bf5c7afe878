package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.luthien.gateway.translate.responses.ResponseIds;
import io.luthien.gateway.translate.responses.ResponsesRequests;
import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.luthien.shared.telemetry.BusTrace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Responses kept by the recording: the conversation a {@code previous_response_id} names, a stored
 * response ({@code GET /v1/responses/{id}}) and its deletion. A response's id derives from its
 * call's ({@link ResponseIds}), and the recorder answers {@link Addresses#RECORDED_EXCHANGE} with
 * that call's final request (whose {@code input} already holds the whole conversation before it)
 * and its final response, or forgets them. So it works against any backend, on any gateway node, as
 * long as recording is on. The recorder writes in batches: a follow-up sent the moment the previous
 * answer ended may arrive before it is written, so a missing answer is asked for again a few times.
 */
public final class RecordedResponses {

  private static final int ATTEMPTS = 10;
  private static final long RETRY_MILLIS = 100;
  private static final long TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;

  public RecordedResponses(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The canonical messages before the new input, its instructions left out. */
  public Future<List<JsonObject>> history(String callId, String responseId) {
    return previous(callId, responseId)
        .map(
            exchange ->
                ResponsesRequests.history(
                    exchange.getJsonObject(Fields.EVENT_REQUEST),
                    exchange.getJsonObject(Fields.EVENT_RESPONSE)));
  }

  /**
   * The recorded exchange a {@code previous_response_id} names: {@code {api, request, response}},
   * both in Responses form as their client saw them.
   */
  public Future<JsonObject> previous(String callId, String responseId) {
    String previousCallId = ResponseIds.callIdOf(responseId);
    if (previousCallId == null) {
      return Future.failedFuture(
          notFound(responseId, "it is not a response of this gateway").asException());
    }
    return exchange(callId, new JsonObject().put(Fields.CALL_ID, previousCallId), ATTEMPTS)
        .recover(failure -> Future.failedFuture(refusal(responseId, failure)))
        .map(
            exchange -> {
              if (!Fields.API_OPENAI_RESPONSES.equals(exchange.getString(Fields.API))) {
                throw notFound(responseId, "it is not a Responses API call").asException();
              }
              return exchange;
            });
  }

  /**
   * The response as its client got it; fails with a 404 when the gateway has no such response: not
   * one of its ids, not recorded, deleted, or created with {@code store: false}.
   */
  Future<JsonObject> stored(String callId, String responseId) {
    String storedCallId = ResponseIds.callIdOf(responseId);
    if (storedCallId == null) {
      return Future.failedFuture(responseNotFound(responseId).asException());
    }
    return exchange(callId, new JsonObject().put(Fields.CALL_ID, storedCallId), ATTEMPTS)
        .recover(failure -> Future.failedFuture(lookupFailure(responseId, failure)))
        .map(
            exchange -> {
              if (!Fields.API_OPENAI_RESPONSES.equals(exchange.getString(Fields.API))
                  || Boolean.FALSE.equals(
                      exchange.getJsonObject(Fields.EVENT_REQUEST).getValue("store"))) {
                throw responseNotFound(responseId).asException();
              }
              return exchange.getJsonObject(Fields.EVENT_RESPONSE);
            });
  }

  /**
   * Forgets a stored response: it can no longer be read nor continued ({@code
   * previous_response_id}); the call's recording stays. Fails like {@link #stored}.
   */
  Future<Void> delete(String callId, String responseId) {
    return stored(callId, responseId)
        .compose(
            response ->
                exchange(
                    callId,
                    new JsonObject()
                        .put(Fields.CALL_ID, ResponseIds.callIdOf(responseId))
                        .put(Fields.DELETE, true),
                    1))
        .recover(failure -> Future.failedFuture(lookupFailure(responseId, failure)))
        .mapEmpty();
  }

  private Future<JsonObject> exchange(String callId, JsonObject question, int attempts) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.RECORDED_EXCHANGE,
            question,
            BusTrace.untraced(callId).setSendTimeout(TIMEOUT_MILLIS))
        .map(reply -> reply.body())
        .recover(
            failure ->
                attempts > 1
                        && failure instanceof ReplyException reply
                        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                        && reply.failureCode() == FailureCodes.NOT_RECORDED
                    ? vertx
                        .timer(RETRY_MILLIS)
                        .compose(waited -> exchange(callId, question, attempts - 1))
                    : Future.failedFuture(failure));
  }

  private static Throwable refusal(String responseId, Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return notFound(
                responseId,
                "responses are kept with the call recording, and no recorder is running"
                    + " (recording is off)")
            .asException();
      }
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && reply.failureCode() == FailureCodes.NOT_RECORDED) {
        return notFound(responseId, "no recorded answer has that id").asException();
      }
    }
    return new ApiError(
            503,
            "server_error",
            "previous_response_unavailable",
            "previous_response_id",
            "previous response '"
                + responseId
                + "' could not be read from the recording; try again, or send the whole"
                + " conversation as 'input'")
        .asException();
  }

  /** A 404 of an API error already, a missing recording, or what {@link #refusal} says. */
  private static Throwable lookupFailure(String responseId, Throwable failure) {
    if (failure instanceof GatewayException) {
      return failure;
    }
    if (failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.NO_HANDLERS
            || (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && reply.failureCode() == FailureCodes.NOT_RECORDED))) {
      return responseNotFound(responseId).asException();
    }
    return new ApiError(
            503,
            "server_error",
            "response_unavailable",
            null,
            "response '" + responseId + "' could not be read from the recording; try again")
        .asException();
  }

  /** OpenAI's own words for a response it does not have. */
  private static ApiError responseNotFound(String responseId) {
    return new ApiError(
        404,
        "invalid_request_error",
        "response_not_found",
        null,
        "Response with id '" + responseId + "' not found.");
  }

  private static ApiError notFound(String responseId, String why) {
    return new ApiError(
        400,
        "invalid_request_error",
        "previous_response_not_found",
        "previous_response_id",
        "previous response '" + responseId + "' not found: " + why);
  }
}
