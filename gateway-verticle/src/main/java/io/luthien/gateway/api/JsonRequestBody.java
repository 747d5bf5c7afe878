package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A request body read as the JSON object every completion API expects; anything else is a 400
 * saying what.
 */
final class JsonRequestBody {

  private JsonRequestBody() {}

  static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest(
              "invalid_json", null, "request body is empty; expected a JSON object")
          .asException();
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiError.invalidRequest(
              "invalid_json", null, "request body is not valid JSON: " + firstLine(e.getMessage()))
          .asException();
    }
    if (!(decoded instanceof JsonObject request)) {
      throw ApiError.invalidRequest("invalid_json", null, "request body must be a JSON object")
          .asException();
    }
    return request;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
