package io.luthien.debug.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The recorded calls of one session, oldest first, each with its request, response and {@code
 * policy.*} events. Tool definitions are left out of the requests (a coding agent sends dozens with
 * every call, and no turn shows them); a payload still over 16 MiB is read as {@code {truncated:
 * true}}, as the debug API does.
 */
final class SessionCalls {

  private static final int MAX_PAYLOAD_BYTES = 16 << 20;

  private static final String CALLS =
      """
      SELECT c.call_id, c.model, c.created_at, c.completed_at,
             c.policy_changed, c.policy_blocked, c.policy_judged, e.event_type,
             CASE WHEN e.call_id IS NULL THEN NULL
                  WHEN octet_length(s.slim::text) > $2 THEN jsonb_build_object('truncated', true)
                  ELSE s.slim END AS payload
        FROM conversation_calls c
        LEFT JOIN conversation_events e
               ON e.call_id = c.call_id
              AND (e.event_type IN ('request', 'response') OR e.event_type LIKE 'policy.%')
        LEFT JOIN LATERAL (SELECT luthien_payload(e.payload) #- '{original,tools}' #- '{final,tools}' AS slim) s ON true
       WHERE c.session_id = $1 AND c.parent_call_id IS NULL
       ORDER BY c.created_at, c.call_id, e.sequence""";

  /** One call of the session and its events in order ({@code {event_type, payload}}). */
  record RecordedCall(
      UUID callId,
      String model,
      Instant createdAt,
      Instant completedAt,
      boolean changed,
      boolean blocked,
      boolean judged,
      List<JsonObject> events) {}

  private final Pool pool;

  SessionCalls(Pool pool) {
    this.pool = pool;
  }

  /** The session's calls, oldest first; empty when no call was recorded with it. */
  Future<List<RecordedCall>> of(String sessionId) {
    return pool.preparedQuery(CALLS)
        .execute(Tuple.of(sessionId, MAX_PAYLOAD_BYTES))
        .map(
            rows -> {
              Map<UUID, RecordedCall> calls = new LinkedHashMap<>();
              for (Row row : rows) {
                RecordedCall call =
                    calls.computeIfAbsent(row.getUUID("call_id"), id -> recordedCall(id, row));
                if (row.getString("event_type") != null) {
                  call.events()
                      .add(
                          new JsonObject()
                              .put("event_type", row.getString("event_type"))
                              .put("payload", row.getJsonObject("payload")));
                }
              }
              return List.copyOf(calls.values());
            });
  }

  private static RecordedCall recordedCall(UUID callId, Row row) {
    return new RecordedCall(
        callId,
        row.getString("model"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("completed_at") == null
            ? null
            : row.getOffsetDateTime("completed_at").toInstant(),
        row.getBoolean("policy_changed"),
        row.getBoolean("policy_blocked"),
        row.getBoolean("policy_judged"),
        new ArrayList<>());
  }
}
