package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The live activity feed ({@link Addresses#ACTIVITY_REDIS_CHANNEL} or {@link
 * Addresses#ACTIVITY_FEED}). Live only: an event that cannot be published now is lost, and the
 * failed future lets the caller count it.
 */
public interface ActivityPublisher {

  Future<Void> publish(JsonObject event);

  Future<Void> close();
}
