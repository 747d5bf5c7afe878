package io.luthien.debug;

import io.vertx.core.json.JsonObject;

/** Placeholder until the diff calculator lands from its branch (replaced in the same session). */
final class CallDiff {

  private CallDiff() {
  }

  static JsonObject compute(JsonObject requestPayload, JsonObject responsePayload) {
    return new JsonObject().put("request", requestPayload).put("response", responsePayload);
  }
}
