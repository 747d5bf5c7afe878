package io.luthien.gateway.upstream;

import io.luthien.gateway.error.ApiErrors;

/**
 * The {@code error.type} of a failed upstream call, for spans and metrics: {@code http_<status>}
 * when the provider answered with an error status, {@code invalid_response} when its answer was
 * unreadable, and {@code timeout} or {@code connection} after the classification {@link ApiErrors}
 * gives the client; anything else is named by its exception class, as the semantic conventions
 * suggest.
 */
public final class UpstreamErrorType {

  private UpstreamErrorType() {}

  public static String of(Throwable failure) {
    if (failure instanceof UpstreamHttpException http) {
      return http.unreadable() ? "invalid_response" : "http_" + http.status();
    }
    String code = ApiErrors.from(failure, "").code();
    if ("upstream_timeout".equals(code)) {
      return "timeout";
    }
    if ("upstream_unreachable".equals(code) || "upstream_connection_closed".equals(code)) {
      return "connection";
    }
    return failure.getClass().getName();
  }
}
