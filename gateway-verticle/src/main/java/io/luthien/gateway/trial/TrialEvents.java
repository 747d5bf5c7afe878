package io.luthien.gateway.trial;

import io.luthien.shared.Fields;
import io.luthien.shared.payloads.PolicyEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the policy emitted during one trial, in order, each as the call's record would hold it:
 * {@code {event_type, phase, timestamp, data}}, {@code phase} being {@code request}, {@code
 * response} or {@code stream}.
 */
final class TrialEvents {

  static final String REQUEST = "request";
  static final String RESPONSE = "response";
  static final String STREAM = "stream";

  private final JsonArray events = new JsonArray();

  void add(String phase, List<PolicyEvent> emitted) {
    for (PolicyEvent event : emitted) {
      events.add(
          new JsonObject()
              .put(Fields.EVENT_TYPE, event.type())
              .put(Fields.PHASE, phase)
              .put(Fields.TIMESTAMP, event.timestamp().toString())
              .put(Fields.DATA, event.data()));
    }
  }

  JsonArray toJson() {
    return events;
  }
}
