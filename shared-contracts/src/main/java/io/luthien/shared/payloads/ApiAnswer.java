package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalObject;
import static io.luthien.shared.payloads.PayloadFields.optionalString;
import static io.luthien.shared.payloads.PayloadFields.requiredIntCount;

import io.luthien.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The reply of {@link Addresses#ADMIN_API}: {@code {status, content_type, headers?, body}}, written
 * back to the HTTP client unchanged.
 */
public record ApiAnswer(int status, String contentType, JsonObject headers, String body) {

  public static ApiAnswer json(int status, JsonObject json) {
    return new ApiAnswer(status, "application/json", new JsonObject(), json.encode());
  }

  /**
   * A failed API request: {@code {success: false, error, detail, type}}. {@code error} and {@code
   * detail} hold the same message: luthien-proxy's policy setter reads the first, its HTTP errors
   * carry the second.
   */
  public static ApiAnswer problem(int status, String type, String message) {
    return json(
        status,
        new JsonObject()
            .put("success", false)
            .put("error", message)
            .put("detail", message)
            .put("type", type));
  }

  public ApiAnswer withHeader(String name, String value) {
    return new ApiAnswer(status, contentType, headers.copy().put(name, value), body);
  }

  /** Sends it as the HTTP response. */
  public Future<Void> writeTo(HttpServerResponse response) {
    response.setStatusCode(status).putHeader("Cache-Control", "no-store");
    if (contentType != null) {
      response.putHeader("Content-Type", contentType);
    }
    headers.forEach(
        header -> response.putHeader(header.getKey(), String.valueOf(header.getValue())));
    return response.end(body == null ? "" : body);
  }

  public static ApiAnswer fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    JsonObject headers = optionalObject(body, "headers");
    return new ApiAnswer(
        requiredIntCount(body, "status"),
        optionalString(body, "content_type"),
        headers == null ? new JsonObject() : headers,
        optionalString(body, "body"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status)
        .put("content_type", contentType)
        .put("headers", headers)
        .put("body", body);
  }
}
