package io.luthien.recorder;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** ISO-8601 instants of the recorder contract, limited to what a PostgreSQL {@code timestamptz} can hold. */
final class Timestamps {

  private Timestamps() {
  }

  /** The instant, or {@code null} when absent; anything else than an ISO-8601 instant with an offset is malformed. */
  static OffsetDateTime parse(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new MalformedEventException(field + " must be an ISO-8601 string");
    }
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException(field + " is not an ISO-8601 instant with an offset: '" + text + "'");
    }
    if (time.getYear() < 1 || time.getYear() > 9999) {
      throw new MalformedEventException(field + " is out of range: '" + text + "'");
    }
    return time;
  }
}
