package io.luthien.debug.history;

import io.luthien.debug.api.ApiProblem;
import io.luthien.debug.api.ApiRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The history API's path and query parameters, read strictly: a malformed one is a 400 naming it.
 * Session and user ids are what the gateway records (at most 128 characters, no control
 * characters); anything else cannot name a recorded session or user.
 */
final class HistoryParameters {

  static final int MAX_ID_LENGTH = 128;

  private HistoryParameters() {}

  /** The path parameter {@code name} (URL-decoded), checked as a session or user id. */
  static String id(ApiRequest request, String name) {
    return checkedId(request.pathParameter(name), name);
  }

  /** The optional query parameter {@code name}, checked as an id; null when absent or empty. */
  static String optionalId(ApiRequest request, String name) {
    String text = request.query(name);
    return text == null || text.isEmpty() ? null : checkedId(text, name);
  }

  /**
   * An ISO-8601 instant; with an offset or {@code Z}, or without one (taken as UTC, as
   * luthien-proxy does); a date alone is its start of day in UTC.
   */
  static Instant instant(ApiRequest request, String name) {
    String text = request.query(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notATime) {
        try {
          return java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
          throw ApiProblem.badRequest(
              name + " must be an ISO-8601 time like 2026-05-01T12:00:00Z, got '" + text + "'");
        }
      }
    }
  }

  static boolean flag(ApiRequest request, String name) {
    String text = request.query(name);
    if (text == null || text.isEmpty()) {
      return false;
    }
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw ApiProblem.badRequest(name + " must be true or false, got '" + text + "'");
    };
  }

  /** Free text for a search; null when absent or blank. */
  static String text(ApiRequest request, String name, int maxLength) {
    String text = request.query(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    if (text.length() > maxLength || text.indexOf('\0') >= 0) {
      throw ApiProblem.badRequest(
          name + " must be at most " + maxLength + " characters of text, got " + text.length());
    }
    return text.strip();
  }

  private static String checkedId(String id, String name) {
    if (id.isEmpty()
        || id.length() > MAX_ID_LENGTH
        || id.chars().anyMatch(Character::isISOControl)) {
      throw ApiProblem.badRequest(
          name
              + " must be 1 to "
              + MAX_ID_LENGTH
              + " characters without control characters, got '"
              + shown(id)
              + "'");
    }
    return id;
  }

  private static String shown(String id) {
    String visible = id.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= 40 ? visible : visible.substring(0, 40) + "...";
  }
}
