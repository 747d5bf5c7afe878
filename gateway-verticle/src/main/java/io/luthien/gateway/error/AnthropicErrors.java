package io.luthien.gateway.error;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Errors in Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}, the type from
 * the status.
 */
public final class AnthropicErrors {

  private static final Set<String> ANTHROPIC_TYPES =
      Set.of(
          "invalid_request_error",
          "authentication_error",
          "permission_error",
          "not_found_error",
          "request_too_large",
          "rate_limit_error",
          "api_error",
          "overloaded_error",
          "timeout_error");

  private AnthropicErrors() {}

  /**
   * Codes the Anthropic SDK reads from {@code error.details.error_code} to recover (a message
   * thread the backend cannot keep falls back to the whole conversation).
   */
  private static final Set<String> DETAILED_CODES = Set.of("thread_unsupported_request");

  public static JsonObject body(ApiError error) {
    JsonObject body = new JsonObject().put("type", type(error)).put("message", error.message());
    if (error.code() != null && DETAILED_CODES.contains(error.code())) {
      body.put("details", new JsonObject().put("error_code", error.code()));
    }
    return new JsonObject().put("type", "error").put("error", body);
  }

  /**
   * An upstream Anthropic error keeps its own type; any other error is typed by its status, as
   * Anthropic does.
   */
  static String type(ApiError error) {
    if (ANTHROPIC_TYPES.contains(error.type())) {
      return error.type();
    }
    return switch (error.status()) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> error.status() < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
