package io.luthien.gateway;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.MessageHeaders;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** The gateway's side of the policy contract (ARCHITECTURE.md §2): every call goes over the event bus. */
final class PolicyClient {

  private final EventBus bus;
  private final long timeoutMillis;

  PolicyClient(EventBus bus, long timeoutMillis) {
    this.bus = bus;
    this.timeoutMillis = timeoutMillis;
  }

  /** The policy's verdict on a request: {@code {request}} or {@code {blocked: {status, message}}}, plus events. */
  Future<JsonObject> request(String callId, String api, JsonObject request) {
    return ask(Addresses.POLICY_REQUEST, callId, new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.API, api)
        .put(Fields.REQUEST, request));
  }

  /** The final response: {@code {response, events}}. */
  Future<JsonObject> response(String callId, JsonObject request, JsonObject response) {
    return ask(Addresses.POLICY_RESPONSE, callId, new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.REQUEST, request)
        .put(Fields.RESPONSE, response));
  }

  /** Opens the call's stream session on one policy instance; its chunks then all go to that instance. */
  Future<PolicyStream> openStream(String callId, JsonObject request) {
    return ask(Addresses.POLICY_STREAM_OPEN, callId, new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put(Fields.REQUEST, request))
        .map(reply -> new PolicyStream(this, callId, reply.getString(Fields.SESSION)));
  }

  Future<JsonObject> ask(String address, String callId, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(MessageHeaders.CALL_ID, callId);
    return bus.<JsonObject>request(address, body, options).map(Message::body);
  }
}
