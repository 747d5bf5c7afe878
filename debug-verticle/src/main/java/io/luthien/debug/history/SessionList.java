package io.luthien.debug.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * luthien-proxy's {@code SessionListResponse}: {@code {sessions: [SessionSummary], total, offset,
 * has_more}}, newest last activity first. A session is the calls recorded with its {@code
 * session_id}; a policy's model calls (a judge's, with a {@code parent_call_id}) are not turns. The
 * statement holds only the filters in use (their values always bound), so each shape gets a plan
 * that uses its index: the session and user indexes, and the GIN index of {@code search_text}.
 */
final class SessionList {

  private static final String INTERVENED =
      "(c.policy_changed OR c.policy_blocked OR c.policy_judged)";
  private static final String LAST_ACTIVITY = "max(coalesce(c.completed_at, c.created_at))";
  private static final String TURNS = "c.session_id IS NOT NULL AND c.parent_call_id IS NULL";
  private static final int PREVIEW_CHARS = 100;

  private static final String EXTRAS =
      """
      SELECT s.id AS session_id,
             (SELECT count(*) FROM conversation_calls c JOIN conversation_events e ON e.call_id = c.call_id
               WHERE c.session_id = s.id AND c.parent_call_id IS NULL
                 AND ($2::text IS NULL OR c.user_id = $2)) AS total_events,
             p.messages, p.input
        FROM unnest($1::text[]) AS s(id)
        LEFT JOIN LATERAL (
          SELECT e.payload #> '{original,messages}' AS messages, e.payload #> '{original,input}' AS input
            FROM conversation_calls c
            JOIN conversation_events e ON e.call_id = c.call_id AND e.event_type = 'request' AND e.sequence = 0
           WHERE c.session_id = s.id AND c.parent_call_id IS NULL AND ($2::text IS NULL OR c.user_id = $2)
             -- Claude Code's probes (quota, token counts) ask for one token: they are no preview
             AND NOT (jsonb_typeof(e.payload #> '{original,max_tokens}') = 'number'
                      AND (e.payload #>> '{original,max_tokens}')::numeric <= 1)
           ORDER BY c.created_at, c.call_id
           LIMIT 1) p ON true""";

  private final Pool pool;

  SessionList(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> page(SessionFilter filter) {
    Tuple params = Tuple.tuple();
    String sql = pageQuery(filter, params);
    return pool.preparedQuery(sql)
        .execute(params)
        .compose(
            rows -> {
              long total = rows.iterator().next().getLong("total");
              List<JsonObject> sessions = new ArrayList<>();
              for (Row row : rows) {
                if (row.getString("session_id") != null) {
                  sessions.add(summary(row));
                }
              }
              return withExtras(sessions, filter.userId())
                  .map(
                      filled ->
                          new JsonObject()
                              .put("sessions", new JsonArray(new ArrayList<>(filled)))
                              .put("total", total)
                              .put("offset", filter.offset())
                              .put("has_more", filter.offset() + filled.size() < total));
            });
  }

  private static String pageQuery(SessionFilter filter, Tuple params) {
    List<String> where = new ArrayList<>(List.of(TURNS));
    List<String> having = new ArrayList<>();
    String userScope = "";
    if (filter.userId() != null) {
      params.addString(filter.userId());
      userScope = " AND c.user_id = $" + params.size();
      where.add("c.user_id = $" + params.size());
    }
    if (filter.model() != null) {
      params.addString(filter.model());
      where.add(matchingSessions("c.model = $" + params.size(), userScope));
    }
    if (filter.query() != null) {
      params.addString(filter.query());
      where.add(
          matchingSessions(
              "c.search_text @@ websearch_to_tsquery('english', $" + params.size() + ")",
              userScope));
    }
    if (filter.policyIntervention()) {
      having.add("bool_or" + INTERVENED);
    }
    if (filter.from() != null) {
      params.addOffsetDateTime(utc(filter));
      having.add(LAST_ACTIVITY + " >= $" + params.size());
    }
    if (filter.to() != null) {
      params.addOffsetDateTime(filter.to().atOffset(java.time.ZoneOffset.UTC));
      having.add(LAST_ACTIVITY + " <= $" + params.size());
    }
    params.addInteger(filter.limit()).addInteger(filter.offset());
    // the sessions that match and their last activity first; the figures only for the page's
    return """
        WITH matching AS MATERIALIZED (
          SELECT c.session_id, %s AS last_ts
            FROM conversation_calls c
           WHERE %s
           GROUP BY c.session_id
           %s
        ), page AS (
          SELECT session_id, last_ts FROM matching ORDER BY last_ts DESC, session_id LIMIT $%d OFFSET $%d
        )
        SELECT t.total, p.session_id, p.last_ts, s.*
          FROM (SELECT count(*) AS total FROM matching) t
          LEFT JOIN page p ON true
          LEFT JOIN LATERAL (
            SELECT min(c.created_at) AS first_ts,
                   count(*) AS turn_count,
                   count(*) FILTER (WHERE %s) AS interventions,
                   coalesce(array_agg(DISTINCT c.model) FILTER (WHERE c.model IS NOT NULL), '{}') AS models,
                   coalesce(array_agg(DISTINCT c.user_id) FILTER (WHERE c.user_id IS NOT NULL), '{}') AS users
              FROM conversation_calls c
             WHERE c.session_id = p.session_id AND c.parent_call_id IS NULL%s) s ON true
         ORDER BY p.last_ts DESC, p.session_id
        """
        .formatted(
            LAST_ACTIVITY,
            String.join(" AND ", where),
            having.isEmpty() ? "" : "HAVING " + String.join(" AND ", having),
            params.size() - 1,
            params.size(),
            INTERVENED,
            userScope);
  }

  private static OffsetDateTime utc(SessionFilter filter) {
    return filter.from().atOffset(java.time.ZoneOffset.UTC);
  }

  /** Sessions with at least one turn where {@code condition} holds. */
  private static String matchingSessions(String condition, String userScope) {
    return "c.session_id IN (SELECT c.session_id FROM conversation_calls c WHERE "
        + TURNS
        + " AND "
        + condition
        + userScope
        + ")";
  }

  private static JsonObject summary(Row row) {
    return new JsonObject()
        .put("session_id", row.getString("session_id"))
        .put("first_timestamp", row.getOffsetDateTime("first_ts").toInstant().toString())
        .put("last_timestamp", row.getOffsetDateTime("last_ts").toInstant().toString())
        .put("turn_count", row.getLong("turn_count"))
        .put("total_events", 0L)
        .put("policy_interventions", row.getLong("interventions"))
        .put("models_used", strings(row.getArrayOfStrings("models")))
        .putNull("preview_message")
        .put("user_ids", strings(row.getArrayOfStrings("users")));
  }

  /** Each session's event count and preview, one statement for the whole page. */
  private Future<List<JsonObject>> withExtras(List<JsonObject> sessions, String userId) {
    if (sessions.isEmpty()) {
      return Future.succeededFuture(sessions);
    }
    String[] ids = sessions.stream().map(s -> s.getString("session_id")).toArray(String[]::new);
    return pool.preparedQuery(EXTRAS)
        .execute(Tuple.tuple().addArrayOfString(ids).addString(userId))
        .map(rows -> filled(sessions, rows));
  }

  private static List<JsonObject> filled(List<JsonObject> sessions, RowSet<Row> rows) {
    Map<String, Row> extras = new HashMap<>();
    for (Row row : rows) {
      extras.put(row.getString("session_id"), row);
    }
    for (JsonObject session : sessions) {
      Row extra = extras.get(session.getString("session_id"));
      if (extra == null) {
        continue;
      }
      session.put("total_events", extra.getLong("total_events"));
      JsonObject firstRequest = new JsonObject();
      if (extra.getValue("messages") != null) {
        firstRequest.put("messages", extra.getValue("messages"));
      }
      if (extra.getValue("input") != null) {
        firstRequest.put("input", extra.getValue("input"));
      }
      session.put("preview_message", preview(firstRequest));
    }
    return sessions;
  }

  /** The first thing the user typed, on one line, at most 100 characters. */
  static String preview(JsonObject firstRequest) {
    for (JsonObject message : ClientMessages.request(firstRequest)) {
      if (!MessageType.USER.wire().equals(message.getString("message_type"))) {
        continue;
      }
      String text =
          message
              .getString("content", "")
              .replaceAll("(?s)<system-reminder>.*?</system-reminder>", " ")
              .strip()
              .replaceAll("\\s+", " ");
      if (!text.isEmpty()) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "...";
      }
    }
    return null;
  }

  private static JsonArray strings(String[] values) {
    JsonArray array = new JsonArray();
    for (String value : values) {
      array.add(value);
    }
    return array;
  }
}
