package io.luthien.debug;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The feed as event-bus publishes on {@link Addresses#ACTIVITY_FEED} (the embedded default, no
 * Redis).
 */
final class EventBusActivitySource implements ActivitySource {

  private final EventBus eventBus;
  private final ActivityHub hub;
  private MessageConsumer<JsonObject> consumer;

  EventBusActivitySource(EventBus eventBus, ActivityHub hub) {
    this.eventBus = eventBus;
    this.hub = hub;
  }

  @Override
  public Future<Void> start() {
    consumer = eventBus.consumer(Addresses.ACTIVITY_FEED, message -> hub.publish(message.body()));
    return consumer.completion();
  }

  @Override
  public boolean connected() {
    return consumer != null && consumer.isRegistered();
  }

  @Override
  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
