package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks the few fields of a chat completions request the gateway relies on; every other field
 * passes through untouched. Each refusal names the offending field.
 */
final class ChatRequestValidator {

  private ChatRequestValidator() {}

  static void validate(JsonObject request) {
    Object model = request.getValue("model");
    if (model == null) {
      throw missing("model");
    }
    if (!(model instanceof String name) || name.isBlank()) {
      throw invalid("model", "'model' must be a non-empty string");
    }
    Object messages = request.getValue("messages");
    if (messages == null) {
      throw missing("messages");
    }
    if (!(messages instanceof JsonArray list)) {
      throw invalid("messages", "'messages' must be an array of message objects");
    }
    if (list.isEmpty()) {
      throw invalid("messages", "'messages' must not be empty");
    }
    for (int i = 0; i < list.size(); i++) {
      String field = "messages[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject message)) {
        throw invalid(field, "'" + field + "' must be an object");
      }
      if (!(message.getValue("role") instanceof String)) {
        throw invalid(field + ".role", "'" + field + ".role' must be a string");
      }
    }
    validateStream(request);
  }

  /** Both APIs: {@code stream} absent or a boolean. */
  static void validateStream(JsonObject request) {
    Object stream = request.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw invalid("stream", "'stream' must be a boolean");
    }
  }

  private static GatewayException missing(String field) {
    return ApiError.invalidRequest(
            "missing_required_parameter", field, "missing required field '" + field + "'")
        .asException();
  }

  private static GatewayException invalid(String field, String message) {
    return ApiError.invalidRequest("invalid_type", field, message).asException();
  }
}
