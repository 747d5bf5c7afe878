package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.requiredBoolean;
import static io.luthien.shared.payloads.PayloadFields.requiredIntCount;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.vertx.core.json.JsonObject;

/**
 * A recorder's flow control on {@link Addresses#RECORDER_PRESSURE}: {@code {recorder, behind,
 * buffer_percent}}.
 *
 * @param recorder the recorder instance's id (a node may run several)
 * @param behind its buffer fills faster than PostgreSQL empties it: hold new calls
 * @param bufferPercent how full its buffer is, for logs
 */
public record RecorderPressure(String recorder, boolean behind, int bufferPercent) {

  static final String RECORDER = "recorder";
  static final String BEHIND = "behind";
  static final String BUFFER_PERCENT = "buffer_percent";

  public static RecorderPressure fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    return new RecorderPressure(
        requiredString(body, RECORDER),
        requiredBoolean(body, BEHIND),
        requiredIntCount(body, BUFFER_PERCENT));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(RECORDER, recorder)
        .put(BEHIND, behind)
        .put(BUFFER_PERCENT, bufferPercent);
  }
}
