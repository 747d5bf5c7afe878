package io.luthien.policy.api;

import io.vertx.core.json.JsonObject;

/**
 * What a policy decided about a request: forward this (possibly rewritten) request, or refuse the
 * call.
 */
public record RequestDecision(JsonObject request, int blockedStatus, String blockedMessage) {

  public static RequestDecision allow(JsonObject request) {
    return new RequestDecision(request, 0, null);
  }

  public static RequestDecision block(int status, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException(
          "a blocked call needs an HTTP error status, got " + status);
    }
    return new RequestDecision(null, status, message);
  }

  public boolean blocked() {
    return request == null;
  }
}
