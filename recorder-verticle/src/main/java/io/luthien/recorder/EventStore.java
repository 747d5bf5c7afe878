package io.luthien.recorder;

import io.vertx.core.Future;
import java.util.List;

/** Where batches of events end up. Writing the same event twice must leave one row. */
interface EventStore {

  /**
   * Writes the batch in one go. A failed future means nothing of it can be counted on and the whole
   * batch is tried again later; success means every event is stored or was reported (counted and
   * logged) as refused.
   */
  Future<Void> write(List<RecordedEvent> batch);
}
