package io.luthien.debug;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque {@code before} cursor of the calls list: the position of the last call of a page
 * (created_at, call_id), so the next page starts strictly after it even when calls share a
 * timestamp.
 */
record CallsCursor(OffsetDateTime createdAt, UUID callId) {

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt + "|" + callId).getBytes(StandardCharsets.UTF_8));
  }

  static CallsCursor decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new CallsCursor(
          OffsetDateTime.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
    } catch (IllegalArgumentException
        | DateTimeParseException
        | IndexOutOfBoundsException malformed) {
      throw DebugError.badRequest("before must be the next_before cursor of a previous page");
    }
  }
}
