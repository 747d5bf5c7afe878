package io.luthien.debug;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads recorded calls and their events (ARCHITECTURE §4); every filter value is a bound parameter.
 */
final class CallStore {

  private static final String CALL_COLUMNS =
      """
      c.call_id, c.model, c.provider, c.api, c.stream, c.status, c.created_at, c.completed_at,
      c.parent_call_id,
      (SELECT count(*) FROM conversation_events e WHERE e.call_id = c.call_id) AS event_count""";

  private static final String LIST =
      "SELECT "
          + CALL_COLUMNS
          + """
       FROM conversation_calls c
      WHERE ($1::timestamptz IS NULL OR (c.created_at, c.call_id) < ($1::timestamptz, $2::uuid))
        AND ($3::text IS NULL OR c.model = $3::text)
        AND ($4::int IS NULL OR c.status = $4::int)
        AND ($5::timestamptz IS NULL OR c.created_at >= $5::timestamptz)
      ORDER BY c.created_at DESC, c.call_id DESC
      LIMIT $6""";

  /** One call, and the model calls its policy made for it (a judge's), oldest first. */
  private static final String ONE =
      "SELECT "
          + CALL_COLUMNS
          + """
          , ARRAY(SELECT k.call_id::text FROM conversation_calls k
                   WHERE k.parent_call_id = c.call_id ORDER BY k.created_at, k.call_id) AS model_calls
            FROM conversation_calls c WHERE c.call_id = $1""";

  /**
   * Payloads longer than this (in their JSON text) are answered as a truncation marker, the one the
   * recorder stores for a payload over {@code RECORDER_MAX_PAYLOAD_BYTES}: a longer one, written
   * with a higher setting or before there was one, could hold a string longer than Jackson reads
   * (20 M characters), and would take seconds to decode and encode again on the event loop.
   */
  static final int MAX_PAYLOAD_BYTES = 16 << 20;

  /** Characters of the JSON text in a truncated payload's preview, as the recorder keeps. */
  static final int PREVIEW_CHARS = 64 * 1024;

  private static final String EVENTS =
      """
      SELECT e.event_type, e.sequence, e.created_at,
             CASE WHEN octet_length(p.text) > $2
                  THEN jsonb_build_object('truncated', true, 'original_bytes', octet_length(p.text),
                                          'preview', left(p.text, $3))
                  ELSE w.payload END AS payload
        FROM conversation_events e
             CROSS JOIN LATERAL (SELECT luthien_payload(e.payload) AS payload) w
             CROSS JOIN LATERAL (SELECT w.payload::text AS text) p
       WHERE e.call_id = $1 ORDER BY e.sequence, e.id""";

  private final Pool pool;

  CallStore(Pool pool) {
    this.pool = pool;
  }

  /** One page, newest first; the cursor is set when there may be more. */
  Future<CallsPage> list(CallsFilter filter) {
    CallsCursor before = filter.before();
    Tuple params =
        Tuple.tuple()
            .addValue(before == null ? null : before.createdAt())
            .addValue(before == null ? null : before.callId())
            .addValue(filter.model())
            .addValue(filter.status())
            .addValue(filter.since())
            .addValue(filter.limit() + 1);
    return pool.preparedQuery(LIST).execute(params).map(rows -> page(rows, filter.limit()));
  }

  Future<Optional<JsonObject>> call(UUID callId) {
    return pool.preparedQuery(ONE)
        .execute(Tuple.of(callId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(withModelCalls(rows.iterator().next())));
  }

  /**
   * Every event of the call in sequence order; a payload over {@link #MAX_PAYLOAD_BYTES} as {@code
   * {truncated: true, original_bytes, preview}}.
   */
  Future<JsonArray> events(UUID callId) {
    return pool.preparedQuery(EVENTS)
        .execute(Tuple.of(callId, MAX_PAYLOAD_BYTES, PREVIEW_CHARS))
        .map(
            rows -> {
              JsonArray events = new JsonArray();
              for (Row row : rows) {
                events.add(
                    new JsonObject()
                        .put("event_type", row.getString("event_type"))
                        .put("sequence", row.getInteger("sequence"))
                        .put("created_at", iso(row.getOffsetDateTime("created_at")))
                        .put("payload", row.getJsonObject("payload")));
              }
              return events;
            });
  }

  private static CallsPage page(RowSet<Row> rows, int limit) {
    List<JsonObject> calls = new ArrayList<>();
    CallsCursor last = null;
    for (Row row : rows) {
      if (calls.size() == limit) {
        return new CallsPage(calls, last);
      }
      calls.add(callJson(row));
      last = new CallsCursor(row.getOffsetDateTime("created_at"), row.getUUID("call_id"));
    }
    return new CallsPage(calls, null);
  }

  private static JsonObject withModelCalls(Row row) {
    JsonArray children = new JsonArray();
    for (String child : row.getArrayOfStrings("model_calls")) {
      children.add(child);
    }
    return callJson(row).put("model_calls", children);
  }

  private static JsonObject callJson(Row row) {
    UUID parent = row.getUUID("parent_call_id");
    return new JsonObject()
        .put("call_id", row.getUUID("call_id").toString())
        .put("model", row.getString("model"))
        .put("provider", row.getString("provider"))
        .put("api", row.getString("api"))
        .put("stream", row.getBoolean("stream"))
        .put("status", row.getInteger("status"))
        .put("event_count", row.getLong("event_count"))
        .put("created_at", iso(row.getOffsetDateTime("created_at")))
        .put("completed_at", iso(row.getOffsetDateTime("completed_at")))
        .put("parent_call_id", parent == null ? null : parent.toString());
  }

  private static String iso(OffsetDateTime time) {
    return time == null ? null : time.toString();
  }

  /** A page of calls and, when more may follow, the cursor of its last call. */
  record CallsPage(List<JsonObject> calls, CallsCursor next) {

    JsonObject toJson() {
      return new JsonObject()
          .put("calls", new JsonArray(new ArrayList<>(calls)))
          .put("next_before", next == null ? null : next.encode());
    }
  }
}
