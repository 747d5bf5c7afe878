package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiCall;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An {@code /api/*} call as a handler sees it: its path parameters, query and JSON body. */
public record ApiRequest(ApiCall call, Map<String, String> pathParameters) {

  /** The path parameter {@code name}, URL-decoded (a path segment's '+' is a plus sign). */
  public String pathParameter(String name) {
    String raw = pathParameters.get(name);
    if (raw == null) {
      return null;
    }
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw ApiProblem.badRequest(name + " is not URL-encoded: '" + raw + "'");
    }
  }

  /**
   * The query parameter {@code name} as a whole number from {@code min} to {@code max}; {@code
   * fallback} when absent or empty, a 400 naming it when it is anything else.
   */
  public int count(String name, int fallback, int min, int max) {
    String text = query(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw ApiProblem.badRequest(
        name + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  /** The first value of query parameter {@code name}, or null. */
  public String query(String name) {
    return queryParameters().get(name);
  }

  /** The body as a JSON object; an empty body is {@code {}}, anything else not an object a 400. */
  public JsonObject json() {
    String body = call.body();
    if (body == null || body.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException notAnObject) {
      throw ApiProblem.badRequest("the request body must be a JSON object");
    }
  }

  /** Each parameter's first value, decoded as a browser or curl encodes it. */
  private Map<String, String> queryParameters() {
    Map<String, String> parameters = new HashMap<>();
    if (call.query() == null || call.query().isEmpty()) {
      return parameters;
    }
    Map<String, List<String>> decoded;
    try {
      decoded = new QueryStringDecoder(call.query(), StandardCharsets.UTF_8, false).parameters();
    } catch (IllegalArgumentException malformed) {
      throw ApiProblem.badRequest("the query string is not URL-encoded: " + call.query());
    }
    decoded.forEach(
        (name, values) -> {
          if (!values.isEmpty()) {
            parameters.put(name, values.get(0));
          }
        });
    return parameters;
  }
}
