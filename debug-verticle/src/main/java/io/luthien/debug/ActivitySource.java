package io.luthien.debug;

import io.vertx.core.Future;

/**
 * Where a debug node hears the activity feed: Redis pub/sub, or the event bus when there is no
 * Redis.
 */
interface ActivitySource {

  /** Starts listening; completes once the first subscription is in place or is being retried. */
  Future<Void> start();

  /** Whether the feed is connected right now (for health and the pages' status). */
  boolean connected();

  Future<Void> stop();
}
