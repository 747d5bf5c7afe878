package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalObject;
import static io.luthien.shared.payloads.PayloadFields.optionalString;
import static io.luthien.shared.payloads.PayloadFields.requiredString;

import io.luthien.shared.Addresses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@link Addresses#ADMIN_API}: an HTTP request to the admin or history API as a gateway
 * received it, {@code {method, path, query?, headers, body?}}. Only the headers the API reads are
 * carried ({@link #CARRIED_HEADERS}, lower case); the body is the request's text.
 */
public record ApiCall(String method, String path, String query, JsonObject headers, String body) {

  /** The credential and content headers; nothing else crosses the event bus. */
  public static final List<String> CARRIED_HEADERS =
      List.of("authorization", "x-api-key", "content-type", "accept");

  /** The request a server received, with the body it read. */
  public static ApiCall of(HttpServerRequest request, String body) {
    JsonObject headers = new JsonObject();
    for (String name : CARRIED_HEADERS) {
      String value = request.getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    return new ApiCall(request.method().name(), request.path(), request.query(), headers, body);
  }

  public static ApiCall fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    JsonObject headers = optionalObject(body, "headers");
    return new ApiCall(
        requiredString(body, "method").toUpperCase(Locale.ROOT),
        requiredString(body, "path"),
        optionalString(body, "query"),
        headers == null ? new JsonObject() : headers,
        optionalString(body, "body"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("method", method)
        .put("path", path)
        .put("query", query)
        .put("headers", headers)
        .put("body", body);
  }

  /** A carried header by its lower-case name, or null. */
  public String header(String name) {
    return headers.getString(name.toLowerCase(Locale.ROOT));
  }
}
