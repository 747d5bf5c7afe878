package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;

import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads what the recorder wrote in the shared test database. Other suites write there too, so every
 * query names its own call ids.
 */
final class TestDatabase {

  static final String URL = LocalServices.POSTGRES_URL;

  private final Pool pool;

  TestDatabase(Vertx vertx) {
    pool = PgBuilder.pool().connectingTo(URL).using(vertx).build();
  }

  long eventCount(List<UUID> callIds) {
    return await(
            pool.preparedQuery("SELECT count(*) FROM conversation_events WHERE call_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(callIds.toArray(UUID[]::new))))
        .iterator()
        .next()
        .getLong(0);
  }

  long eventCount(UUID callId) {
    return eventCount(List.of(callId));
  }

  /** The call's row as JSON (timestamps as ISO strings), or {@code null} when there is none. */
  JsonObject call(UUID callId) {
    var rows =
        await(
            pool.preparedQuery("SELECT * FROM conversation_calls WHERE call_id = $1")
                .execute(Tuple.of(callId)));
    if (rows.size() > 1) {
      throw new AssertionError("more than one row for call " + callId);
    }
    return rows.size() == 0 ? null : rows.iterator().next().toJson();
  }

  /** Whether the call's {@code search_text} matches {@code query} (web search syntax). */
  boolean searchMatches(UUID callId, String query) {
    return await(
            pool.preparedQuery(
                    "SELECT coalesce(search_text @@ websearch_to_tsquery('english', $2), false)"
                        + " FROM conversation_calls WHERE call_id = $1")
                .execute(Tuple.of(callId, query)))
        .iterator()
        .next()
        .getBoolean(0);
  }

  /** The call's {@code search_text} as PostgreSQL prints it, or null. */
  String searchText(UUID callId) {
    return await(
            pool.preparedQuery(
                    "SELECT search_text::text FROM conversation_calls WHERE call_id = $1")
                .execute(Tuple.of(callId)))
        .iterator()
        .next()
        .getString(0);
  }

  /**
   * The call's events in order: {@code payload} read whole ({@code luthien_payload}), {@code
   * stored_payload} as the row holds it.
   */
  List<JsonObject> events(UUID callId) {
    List<JsonObject> events = new ArrayList<>();
    for (Row row :
        await(
            pool.preparedQuery(
                    "SELECT event_type, sequence, luthien_payload(payload) AS payload,"
                        + " payload AS stored_payload, created_at"
                        + " FROM conversation_events WHERE call_id = $1 ORDER BY id")
                .execute(Tuple.of(callId)))) {
      events.add(row.toJson());
    }
    return events;
  }
}
