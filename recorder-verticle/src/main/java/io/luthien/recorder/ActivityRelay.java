package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.MessageHeaders;
import io.luthien.shared.payloads.ActivityEvent;
import io.luthien.shared.payloads.MalformedPayloadException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays {@link Addresses#ACTIVITY_EVENTS} messages, unchanged, to the live feed; counts and logs
 * what is lost, malformed messages included. Activity is not traced: a call makes several such
 * events, and spans for each would cost more than the relay itself.
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

  /**
   * Relays the body as it came once it follows the contract: a newer gateway's extra fields reach
   * the feed even through an older recorder.
   */
  void relay(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      losses.lost(
          stats.activityDropped(),
          message.headers().get(MessageHeaders.CALL_ID),
          "not a JSON object");
      return;
    }
    ActivityEvent event;
    try {
      event = ActivityEvent.fromJson(body);
    } catch (MalformedPayloadException e) {
      losses.lost(
          stats.activityDropped(), message.headers().get(MessageHeaders.CALL_ID), e.getMessage());
      return;
    }
    publisher
        .publish(body)
        .onComplete(
            published -> {
              stats.activityRelayed();
              losses.settled(stats.droppedActivity());
            },
            failure ->
                losses.lost(stats.activityDropped(), event.callId(), LossLog.describe(failure)));
  }
}
