package io.luthien.recorder;

import io.luthien.shared.payloads.MalformedPayloadException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The instants of the recorder contract, limited to what a PostgreSQL {@code timestamptz} can hold.
 */
final class Timestamps {

  private Timestamps() {}

  /** The instant in UTC, or {@code null} when absent; one PostgreSQL cannot store is malformed. */
  static OffsetDateTime storable(Instant instant, String field) {
    if (instant == null) {
      return null;
    }
    OffsetDateTime time = instant.atOffset(ZoneOffset.UTC);
    if (time.getYear() < 1 || time.getYear() > 9999) {
      throw new MalformedPayloadException(field + " is out of range: '" + instant + "'");
    }
    return time;
  }
}
