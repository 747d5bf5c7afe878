package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.Fields;
import io.luthien.shared.MessageHeaders;
import io.opentelemetry.context.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays {@link Addresses#ACTIVITY_EVENTS} messages, unchanged, to the live feed; counts and logs what is lost.
 * A traced message's context (its receive span, the call id baggage) stays current until the event is published,
 * so the feed's own span (Redis {@code PUBLISH}) is in the call's trace.
 */
final class ActivityRelay {

  private static final Logger log = LoggerFactory.getLogger(ActivityRelay.class);

  private final ActivityPublisher publisher;
  private final RecorderStats stats;
  private final LossLog losses = new LossLog(log, "activity events");

  ActivityRelay(ActivityPublisher publisher, RecorderStats stats) {
    this.publisher = publisher;
    this.stats = stats;
  }

  void relay(Message<Object> message) {
    if (!(message.body() instanceof JsonObject event)) {
      losses.lost(stats.activityDropped(), message.headers().get(MessageHeaders.CALL_ID), "not a JSON object");
      return;
    }
    TracedWork.run(Context.current(), () -> publisher.publish(event)).onComplete(
        published -> {
          stats.activityRelayed();
          losses.settled(stats.droppedActivity());
        },
        failure -> losses.lost(stats.activityDropped(), String.valueOf(event.getValue(Fields.CALL_ID)),
            LossLog.describe(failure)));
  }
}
