package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiCall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** An {@code /api/*} call as a handler sees it: its path parameters, query and JSON body. */
public record ApiRequest(ApiCall call, Map<String, String> pathParameters) {

  public String pathParameter(String name) {
    return pathParameters.get(name);
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

  private Map<String, String> queryParameters() {
    Map<String, String> parameters = new HashMap<>();
    if (call.query() == null || call.query().isEmpty()) {
      return parameters;
    }
    for (String pair : call.query().split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.putIfAbsent(name, value);
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw ApiProblem.badRequest("the query string is not URL-encoded: " + text);
    }
  }
}
