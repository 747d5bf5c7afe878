package io.luthien.gateway.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads an upstream error body (OpenAI shape or plain text) so its status and message reach the
 * client.
 */
final class UpstreamErrors {

  private static final int MAX_TEXT = 2_000;

  private UpstreamErrors() {}

  static UpstreamHttpException fromBody(int status, Buffer body) {
    String text = body == null ? "" : body.toString();
    JsonObject error = errorObject(text);
    if (error != null && error.getValue("message") instanceof String message) {
      return new UpstreamHttpException(
          status,
          error.getValue("type") instanceof String type ? type : "upstream_error",
          error.getValue("code") == null ? null : String.valueOf(error.getValue("code")),
          message);
    }
    String trimmed = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
    return new UpstreamHttpException(
        status,
        "upstream_error",
        null,
        trimmed.isBlank() ? "the upstream provider answered with HTTP " + status : trimmed);
  }

  private static JsonObject errorObject(String text) {
    try {
      JsonObject parsed = new JsonObject(text);
      return parsed.getValue("error") instanceof JsonObject error ? error : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
