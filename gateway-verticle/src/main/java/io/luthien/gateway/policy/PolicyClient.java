package io.luthien.gateway.policy;

import io.luthien.shared.Addresses;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.luthien.shared.payloads.PolicyRequest;
import io.luthien.shared.payloads.PolicyRequestReply;
import io.luthien.shared.telemetry.BusTrace;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of the policy contract (ARCHITECTURE.md §2): every call goes over the event
 * bus. A policy instance on the gateway's own event loop is preferred (no thread hand-off per
 * message); once none answers there, calls go to the shared addresses, served by any policy node of
 * the cluster. A call's request and whole answer carry its trace ({@link BusTrace}), so the policy
 * hooks' spans join it; a stream's per-chunk messages carry only the call id, to keep a chunk's
 * cost down.
 */
public final class PolicyClient {

  private static final Logger log = LoggerFactory.getLogger(PolicyClient.class);

  private final EventBus bus;
  private final long timeoutMillis;
  private final String eventLoop;
  private boolean colocatedPolicy = true;
  private long longestHookMillis;

  /** Must be created on the event loop that will use it. */
  public PolicyClient(EventBus bus, long timeoutMillis) {
    this.bus = bus;
    this.timeoutMillis = timeoutMillis;
    this.eventLoop = Thread.currentThread().getName();
  }

  /**
   * The policy's verdict on a request: the final request or a refusal, plus its events; an allowed
   * call's session is then open at the policy instance that decided ({@link #session}). A reply
   * that breaks the contract fails with {@link MalformedPayloadException}.
   */
  public Future<PolicyRequestReply> request(Context trace, String callId, PolicyRequest call) {
    return askPolicy(trace, Addresses.POLICY_REQUEST, callId, call.toJson())
        .map(PolicyRequestReply::fromJson)
        .onSuccess(
            reply -> {
              if (reply.timeoutMillis() != null) {
                longestHookMillis = Math.max(longestHookMillis, reply.timeoutMillis());
              }
            });
  }

  /** The call's session that an allowed request's reply names. */
  public PolicySession session(String callId, PolicyRequestReply reply) {
    long timeout = reply.timeoutMillis() != null ? reply.timeoutMillis() : timeoutMillis;
    return new PolicySession(this, callId, reply.session(), timeout);
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
    // A request hook may judge with a model: wait as long as the longest hook a policy asked for.
    return ask(trace, address, callId, body, Math.max(timeoutMillis, longestHookMillis));
  }

  Future<JsonObject> ask(
      Context trace, String address, String callId, JsonObject body, long timeout) {
    return bus.<JsonObject>request(
            address, body, BusTrace.options(trace, callId).setSendTimeout(timeout))
        .map(Message::body);
  }

  /** For a stream session's chunk and close messages: no trace headers, only the call id. */
  Future<JsonObject> askUntraced(String address, String callId, JsonObject body, long timeout) {
    return bus.<JsonObject>request(address, body, BusTrace.untraced(callId).setSendTimeout(timeout))
        .map(Message::body);
  }
}
