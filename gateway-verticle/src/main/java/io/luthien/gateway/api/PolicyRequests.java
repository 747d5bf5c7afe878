package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonObject;

/** The request a policy allowed, checked before it goes upstream. */
public final class PolicyRequests {

  private PolicyRequests() {}

  /**
   * {@code request} itself when it is a valid chat request; else a 500 {@code
   * policy_invalid_request}: the policy broke it, not the client.
   */
  public static JsonObject checked(JsonObject request) {
    try {
      ChatRequestValidator.validate(request);
    } catch (GatewayException invalid) {
      throw new ApiError(
              500,
              "policy_error",
              "policy_invalid_request",
              null,
              "the policy produced an invalid request: " + invalid.getMessage())
          .asException();
    }
    return request;
  }
}
