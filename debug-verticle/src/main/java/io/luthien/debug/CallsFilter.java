package io.luthien.debug;

import io.vertx.core.MultiMap;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of {@code GET /debug/calls}, checked; every value reaches SQL as a bound
 * parameter.
 */
record CallsFilter(
    int limit, CallsCursor before, String model, Integer status, OffsetDateTime since) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  static CallsFilter parse(MultiMap params) {
    return new CallsFilter(
        limit(params.get("limit")),
        blank(params.get("before")) ? null : CallsCursor.decode(params.get("before")),
        blank(params.get("model")) ? null : model(params.get("model")),
        blank(params.get("status")) ? null : status(params.get("status")),
        blank(params.get("since")) ? null : since(params.get("since")));
  }

  private static int limit(String text) {
    if (blank(text)) {
      return DEFAULT_LIMIT;
    }
    int limit = integer(text, "limit");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DebugError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  private static String model(String text) {
    if (text.length() > 256) {
      throw DebugError.badRequest("model must be at most 256 characters");
    }
    return text;
  }

  private static Integer status(String text) {
    int status = integer(text, "status");
    if (status < 100 || status > 599) {
      throw DebugError.badRequest(
          "status must be an HTTP status between 100 and 599, got " + status);
    }
    return status;
  }

  private static OffsetDateTime since(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException malformed) {
      throw DebugError.badRequest(
          "since must be an ISO-8601 timestamp with offset, like 2026-11-23T10:00:00Z");
    }
  }

  private static int integer(String text, String name) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException malformed) {
      throw DebugError.badRequest(name + " must be an integer, got '" + text + "'");
    }
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
