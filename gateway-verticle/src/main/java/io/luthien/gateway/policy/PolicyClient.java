package io.luthien.gateway.policy;

import io.luthien.shared.Addresses;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.payloads.PolicyResponse;
import io.luthien.shared.payloads.PolicyResponseReply;
import io.luthien.shared.payloads.PolicyStreamMessage;
import io.luthien.shared.payloads.PolicyStreamOpen;
import io.luthien.shared.payloads.PolicyStreamOpened;
import io.luthien.shared.payloads.PolicyStreamReply;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of the policy contract (ARCHITECTURE.md §2): every call goes over the event
 * bus. A policy instance on the gateway's own event loop is preferred (no thread hand-off per
 * message); once none answers there, calls go to the shared addresses, served by any policy node of
 * the cluster. Each call's requests are sent under the call's trace context, so their event-bus
 * spans join its trace; a stream's per-chunk messages are not traced at all, to keep a chunk's cost
 * down.
 */
public final class PolicyClient {

  private static final Logger log = LoggerFactory.getLogger(PolicyClient.class);

  private final EventBus bus;
  private final long timeoutMillis;
  private final String eventLoop;
  private boolean colocatedPolicy = true;

  /** Must be created on the event loop that will use it. */
  public PolicyClient(EventBus bus, long timeoutMillis) {
    this.bus = bus;
    this.timeoutMillis = timeoutMillis;
    this.eventLoop = Thread.currentThread().getName();
  }

  /**
   * The policy's verdict on a request: the final request or a refusal, plus its events. A reply
   * that breaks the contract fails with {@link MalformedPayloadException}.
   */
  public Future<PolicyRequestReply> request(
      Context trace, String callId, String api, JsonObject request) {
    return askPolicy(
            trace,
            Addresses.POLICY_REQUEST,
            callId,
            new PolicyRequest(callId, api, request).toJson())
        .map(PolicyRequestReply::fromJson);
  }

  /** The final response, plus the policy's events. */
  public Future<PolicyResponseReply> response(
      Context trace, String callId, JsonObject request, JsonObject response) {
    return askPolicy(
            trace,
            Addresses.POLICY_RESPONSE,
            callId,
            new PolicyResponse(callId, request, response).toJson())
        .map(PolicyResponseReply::fromJson);
  }

  /**
   * Opens the call's stream session on one policy instance; its chunks then all go to that
   * instance.
   */
  public Future<PolicyStream> openStream(Context trace, String callId, JsonObject request) {
    return askPolicy(
            trace,
            Addresses.POLICY_STREAM_OPEN,
            callId,
            new PolicyStreamOpen(callId, request).toJson())
        .map(reply -> new PolicyStream(this, callId, PolicyStreamOpened.fromJson(reply).session()));
  }

  private Future<JsonObject> askPolicy(
      Context trace, String sharedAddress, String callId, JsonObject body) {
    if (!colocatedPolicy) {
      return ask(trace, sharedAddress, callId, body);
    }
    return ask(trace, Addresses.colocated(sharedAddress, eventLoop), callId, body)
        .recover(
            failure -> {
              if (failure instanceof ReplyException reply
                  && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                colocatedPolicy = false;
                log.info(
                    "no policy instance on {}: policy calls go to the shared addresses", eventLoop);
                return ask(trace, sharedAddress, callId, body);
              }
              return Future.failedFuture(failure);
            });
  }

  private Future<JsonObject> ask(Context trace, String address, String callId, JsonObject body) {
    try (Scope scope = trace.makeCurrent()) {
      return bus.<JsonObject>request(address, body, options(callId)).map(Message::body);
    }
  }

  /**
   * For a stream session's chunk and close messages: no span, no trace headers, only the call id.
   */
  Future<PolicyStreamReply> askUntraced(
      String address, String callId, PolicyStreamMessage message) {
    return bus.<JsonObject>request(
            address, message.toJson(), options(callId).setTracingPolicy(TracingPolicy.IGNORE))
        .map(reply -> PolicyStreamReply.fromJson(reply.body()));
  }

  private DeliveryOptions options(String callId) {
    return new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(MessageHeaders.CALL_ID, callId);
  }
}
