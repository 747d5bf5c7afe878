package io.luthien.recorder;

import io.luthien.shared.Fields;
import io.luthien.shared.payloads.CallUpdate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The columns of a {@code conversation_calls} row that one event knows; {@code null} means "not
 * known here". Events of one call arrive in any order and each knows a part, so rows are merged,
 * never overwritten.
 */
record CallColumns(
    String model,
    String provider,
    String api,
    Boolean stream,
    Integer status,
    OffsetDateTime createdAt,
    OffsetDateTime completedAt,
    UUID parentCallId,
    String sessionId,
    String userId,
    boolean policyChanged,
    boolean policyBlocked,
    boolean policyJudged) {

  /** What the event's {@code call} says; {@code createdAt} falls back to the event's own time. */
  static CallColumns of(CallUpdate call, OffsetDateTime eventTime) {
    OffsetDateTime createdAt =
        Timestamps.storable(call.createdAt(), Fields.CALL + "." + Fields.CREATED_AT);
    return new CallColumns(
        text(call.model(), Fields.MODEL),
        text(call.provider(), Fields.PROVIDER),
        text(call.api(), Fields.API),
        call.stream(),
        call.status(),
        createdAt == null ? eventTime : createdAt,
        Timestamps.storable(call.completedAt(), Fields.CALL + "." + Fields.COMPLETED_AT),
        parent(call.parentCallId()),
        text(call.sessionId(), Fields.SESSION_ID),
        text(call.userId(), Fields.USER_ID),
        Boolean.TRUE.equals(call.policyChanged()),
        Boolean.TRUE.equals(call.policyBlocked()),
        Boolean.TRUE.equals(call.policyJudged()));
  }

  /**
   * This row completed by what a later event knows: known values win over unknown, the span widens,
   * and an intervention flag once on stays on.
   */
  CallColumns merge(CallColumns later) {
    return new CallColumns(
        later.model != null ? later.model : model,
        later.provider != null ? later.provider : provider,
        later.api != null ? later.api : api,
        later.stream != null ? later.stream : stream,
        later.status != null ? later.status : status,
        earliest(createdAt, later.createdAt),
        latest(completedAt, later.completedAt),
        later.parentCallId != null ? later.parentCallId : parentCallId,
        later.sessionId != null ? later.sessionId : sessionId,
        later.userId != null ? later.userId : userId,
        policyChanged || later.policyChanged,
        policyBlocked || later.policyBlocked,
        policyJudged || later.policyJudged);
  }

  /** A parent id that is no call id is not a parent: the call is stored without it. */
  private static UUID parent(String id) {
    if (id == null) {
      return null;
    }
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }

  private static String text(String value, String field) {
    return value == null ? null : RecordedEvent.storableText(value, Fields.CALL + "." + field);
  }

  private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
