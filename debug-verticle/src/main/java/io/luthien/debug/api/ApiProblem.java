package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiAnswer;
import io.vertx.core.json.JsonObject;

/**
 * A failed {@code /api/*} request: its status and a body that both of luthien-proxy's readers
 * understand: {@code {success: false, error, detail, type}} ({@code error} and {@code detail} hold
 * the same message: its policy setter reads the first, its HTTP errors carry the second).
 */
public final class ApiProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  public ApiProblem(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  public static ApiProblem badRequest(String message) {
    return new ApiProblem(400, "invalid_request_error", message);
  }

  public static ApiProblem notFound(String message) {
    return new ApiProblem(404, "not_found_error", message);
  }

  public static ApiProblem unavailable(String message) {
    return new ApiProblem(503, "service_unavailable", message);
  }

  public int status() {
    return status;
  }

  public ApiAnswer toAnswer() {
    return ApiAnswer.json(
        status,
        new JsonObject()
            .put("success", false)
            .put("error", getMessage())
            .put("detail", getMessage())
            .put("type", type));
  }
}
