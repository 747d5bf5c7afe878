package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A recorder for gateway tests: it keeps the recorded request and response events in memory and
 * answers {@link Addresses#RECORDED_EXCHANGE} as the real one does from PostgreSQL, deletions
 * included.
 */
final class InMemoryExchanges {

  /** What the recorder keeps: call id → {api, request, response} (finals), as recorded. */
  private final Map<String, JsonObject> exchanges = new ConcurrentHashMap<>();

  private final Set<String> deleted = ConcurrentHashMap.newKeySet();

  static InMemoryExchanges register(Vertx vertx) {
    InMemoryExchanges recorder = new InMemoryExchanges();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.RECORDER_EVENTS, recorder::recorded)
            .completion());
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.RECORDED_EXCHANGE, recorder::exchange)
            .completion());
    return recorder;
  }

  /** The call's recorded {api, request, response}, or null. */
  JsonObject exchangeOf(String callId) {
    return exchanges.get(callId);
  }

  private void recorded(Message<JsonObject> message) {
    JsonObject event = message.body();
    JsonObject exchange =
        exchanges.computeIfAbsent(event.getString(Fields.CALL_ID), id -> new JsonObject());
    JsonObject call = event.getJsonObject(Fields.CALL);
    if (call != null && call.getString(Fields.API) != null) {
      exchange.put(Fields.API, call.getString(Fields.API));
    }
    String type = event.getString(Fields.EVENT_TYPE);
    if (type.equals(Fields.EVENT_REQUEST) || type.equals(Fields.EVENT_RESPONSE)) {
      exchange.put(type, event.getJsonObject(Fields.PAYLOAD).getValue(Fields.FINAL));
    }
  }

  private void exchange(Message<JsonObject> message) {
    String callId = message.body().getString(Fields.CALL_ID);
    JsonObject exchange = exchanges.get(callId);
    if (exchange == null
        || exchange.getValue(Fields.EVENT_RESPONSE) == null
        || deleted.contains(callId)) {
      message.fail(FailureCodes.NOT_RECORDED, "no recorded answer");
    } else if (message.body().getBoolean(Fields.DELETE, false)) {
      deleted.add(callId);
      message.reply(new JsonObject().put("deleted", true));
    } else {
      message.reply(exchange.copy());
    }
  }
}
