package io.luthien.gateway.error;

import io.vertx.core.json.JsonObject;

/**
 * An error the client sees, rendered in the OpenAI shape {@code
 * {"error":{"message","type","param","code"}}}.
 */
public record ApiError(int status, String type, String code, String param, String message) {

  public static ApiError invalidRequest(String code, String param, String message) {
    return new ApiError(400, "invalid_request_error", code, param, message);
  }

  public JsonObject toOpenAiJson() {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code));
  }

  public GatewayException asException() {
    return new GatewayException(this);
  }
}
