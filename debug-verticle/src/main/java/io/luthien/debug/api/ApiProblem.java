package io.luthien.debug.api;

import io.luthien.shared.payloads.ApiAnswer;

/** A failed {@code /api/*} request: its status, type and message ({@link ApiAnswer#problem}). */
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
    return ApiAnswer.problem(status, type, getMessage());
  }
}
