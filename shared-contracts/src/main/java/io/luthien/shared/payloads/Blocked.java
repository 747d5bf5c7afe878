package io.luthien.shared.payloads;

import static io.luthien.shared.payloads.PayloadFields.optionalInteger;
import static io.luthien.shared.payloads.PayloadFields.optionalString;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;

/**
 * A policy's refusal of a request, {@code {status, message}}: the client gets this HTTP error
 * status and message in its own API's error shape.
 *
 * @param status an HTTP error status, 400 to 599; {@link #DEFAULT_STATUS} when the policy named
 *     none
 * @param message what the client is told, or null
 */
public record Blocked(int status, String message) {

  /** What a refusal that names no status answers. */
  public static final int DEFAULT_STATUS = 403;

  public Blocked {
    if (status < 400 || status > 599) {
      throw new MalformedPayloadException(
          Fields.STATUS + " of a blocked call must be an HTTP error status, got " + status);
    }
  }

  public static Blocked fromJson(JsonObject json) {
    JsonObject body = PayloadFields.body(json);
    Integer status = optionalInteger(body, Fields.STATUS);
    return new Blocked(
        status == null ? DEFAULT_STATUS : status, optionalString(body, Fields.MESSAGE));
  }

  public JsonObject toJson() {
    return new JsonObject().put(Fields.STATUS, status).put(Fields.MESSAGE, message);
  }
}
