package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.MessageHeaders;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The activity feed without Redis: published on {@link Addresses#ACTIVITY_FEED} to whoever listens.
 */
final class EventBusActivityPublisher implements ActivityPublisher {

  private final EventBus eventBus;

  EventBusActivityPublisher(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  @Override
  public Future<Void> publish(JsonObject event) {
    DeliveryOptions options = new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE);
    if (event.getValue(Fields.CALL_ID) instanceof String callId) {
      options.addHeader(MessageHeaders.CALL_ID, callId);
    }
    eventBus.publish(Addresses.ACTIVITY_FEED, event, options);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
