package io.luthien.debug;

import io.vertx.core.json.JsonObject;

/** A failure the debug API answers with its status and {@code {"error": {type, message}}}. */
final class DebugError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  DebugError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static DebugError badRequest(String message) {
    return new DebugError(400, "invalid_request_error", message);
  }

  static DebugError notFound(String message) {
    return new DebugError(404, "not_found_error", message);
  }

  int status() {
    return status;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("error", new JsonObject().put("type", type).put("message", getMessage()));
  }
}
