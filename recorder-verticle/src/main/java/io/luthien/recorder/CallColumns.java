package io.luthien.recorder;

import io.luthien.shared.Fields;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * The columns of a {@code conversation_calls} row that one event knows; {@code null} means "not known here".
 * Events of one call arrive in any order and each knows a part, so rows are merged, never overwritten.
 */
record CallColumns(
    String model,
    String provider,
    String api,
    Boolean stream,
    Integer status,
    OffsetDateTime createdAt,
    OffsetDateTime completedAt) {

  /** Reads the event's optional {@code call} object; {@code createdAt} falls back to the event's own time. */
  static CallColumns fromJson(JsonObject call, OffsetDateTime eventTime) {
    if (call == null) {
      return new CallColumns(null, null, null, null, null, eventTime, null);
    }
    OffsetDateTime createdAt =
        Timestamps.parse(call.getValue(Fields.CREATED_AT), Fields.CALL + "." + Fields.CREATED_AT);
    return new CallColumns(
        text(call, Fields.MODEL),
        text(call, Fields.PROVIDER),
        text(call, Fields.API),
        typed(call, Fields.STREAM, Boolean.class),
        typed(call, Fields.STATUS, Integer.class),
        createdAt == null ? eventTime : createdAt,
        Timestamps.parse(call.getValue(Fields.COMPLETED_AT), Fields.CALL + "." + Fields.COMPLETED_AT));
  }

  /** This row completed by what a later event knows: known values win over unknown, and the span widens. */
  CallColumns merge(CallColumns later) {
    return new CallColumns(
        later.model != null ? later.model : model,
        later.provider != null ? later.provider : provider,
        later.api != null ? later.api : api,
        later.stream != null ? later.stream : stream,
        later.status != null ? later.status : status,
        earliest(createdAt, later.createdAt),
        latest(completedAt, later.completedAt));
  }

  private static String text(JsonObject call, String field) {
    String value = typed(call, field, String.class);
    return value == null ? null : RecordedEvent.storableText(value, Fields.CALL + "." + field);
  }

  private static <T> T typed(JsonObject call, String field, Class<T> type) {
    Object value = call.getValue(field);
    if (value == null) {
      return null;
    }
    if (type == Integer.class && value instanceof Number number && number.doubleValue() == number.intValue()) {
      return type.cast(number.intValue());
    }
    if (!type.isInstance(value)) {
      throw new MalformedEventException(Fields.CALL + "." + field + " must be a " + type.getSimpleName().toLowerCase(Locale.ROOT));
    }
    return type.cast(value);
  }

  private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
