package io.luthien.gateway.translate;

import io.vertx.core.json.JsonObject;

/**
 * An {@code error} event inside an Anthropic stream ({@code overloaded_error}, {@code
 * api_error}...): the upstream gave up after the response had started, so the caller ends the
 * client's stream with this error.
 */
public final class StreamError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String type;

  public StreamError(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  /** Anthropic's error type, e.g. {@code overloaded_error}. */
  public String type() {
    return type;
  }

  /** The error in Anthropic's shape {@code {"type":"error","error":{"type","message"}}}. */
  public JsonObject toAnthropicJson() {
    return new JsonObject()
        .put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", getMessage()));
  }
}
