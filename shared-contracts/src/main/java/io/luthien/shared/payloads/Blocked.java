package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalInteger;
import static io.luthien.shared.payloads.PayloadFields.optionalString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * A policy's refusal of a request, {@code {status, message}}: the client gets this HTTP error status and message in
 * its own API's error shape.
 *
 * @param status an HTTP error status, 400 to 599
 * @param message what the client is told, or null
 */
public record Blocked(int status, String message) {

  public Blocked {
    if (status < 400 || status > 599) {
      throw new MalformedPayloadException(Fields.STATUS + " of a blocked call must be an HTTP error status, got " + status);
    }
  }

  public static Blocked fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    Integer status = optionalInteger(body, Fields.STATUS);
    if (status == null) {
      throw new MalformedPayloadException(Fields.STATUS + " is missing");
    }
    return new Blocked(status, optionalString(body, Fields.MESSAGE));
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.STATUS, status).put(Fields.MESSAGE, message);
  }
}
