package io.luthien.debug.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The recorded calls a replay takes: each one's API, request event and response event. */
final class ReplayedCalls {

  /** One recorded call; {@code request} and {@code response} are the events' payloads or null. */
  record Recorded(
      String callId, String api, Integer status, JsonObject request, JsonObject response) {}

  private static final String SELECT =
      "SELECT c.call_id, c.api, c.status,"
          + " (SELECT luthien_payload(e.payload) FROM conversation_events e"
          + "   WHERE e.call_id = c.call_id"
          + "   AND e.event_type = 'request' ORDER BY e.sequence LIMIT 1) AS request,"
          + " (SELECT luthien_payload(e.payload) FROM conversation_events e"
          + "   WHERE e.call_id = c.call_id"
          + "   AND e.event_type = 'response' ORDER BY e.sequence DESC LIMIT 1) AS response"
          + " FROM conversation_calls c ";

  private final Pool pool;

  ReplayedCalls(Pool pool) {
    this.pool = pool;
  }

  /** The calls {@code ids} names, in that order; an unknown id has no entry. */
  Future<List<Recorded>> byIds(List<UUID> ids) {
    return pool.preparedQuery(SELECT + "WHERE c.call_id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<String, Recorded> found = new HashMap<>();
              read(rows).forEach(call -> found.put(call.callId(), call));
              List<Recorded> ordered = new ArrayList<>();
              ids.forEach(
                  id -> {
                    Recorded call = found.get(id.toString());
                    if (call != null) {
                      ordered.add(call);
                    }
                  });
              return ordered;
            });
  }

  /** The last {@code count} finished client calls, newest first (a judge's own calls left out). */
  Future<List<Recorded>> last(int count) {
    return pool.preparedQuery(
            SELECT
                + "WHERE c.parent_call_id IS NULL AND c.completed_at IS NOT NULL"
                + " ORDER BY c.created_at DESC, c.call_id DESC LIMIT $1")
        .execute(Tuple.of(count))
        .map(ReplayedCalls::read);
  }

  private static List<Recorded> read(RowSet<Row> rows) {
    List<Recorded> calls = new ArrayList<>();
    for (Row row : rows) {
      calls.add(
          new Recorded(
              row.getUUID("call_id").toString(),
              row.getString("api"),
              row.getInteger("status"),
              row.getValue("request") instanceof JsonObject request ? request : null,
              row.getValue("response") instanceof JsonObject response ? response : null));
    }
    return calls;
  }
}
