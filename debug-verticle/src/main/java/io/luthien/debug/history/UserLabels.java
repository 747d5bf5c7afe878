package io.luthien.debug.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The users seen in recorded calls, and the labels people gave them ({@code user_labels}): an
 * opaque user id (a credential's label, a header's value) with a name a person reads.
 */
final class UserLabels {

  private static final String USERS =
      """
      SELECT u.user_id, u.call_count, u.session_count, u.first_seen, u.last_seen, l.label
        FROM (SELECT c.user_id, count(*) AS call_count, count(DISTINCT c.session_id) AS session_count,
                     min(c.created_at) AS first_seen, max(c.created_at) AS last_seen
                FROM conversation_calls c
               WHERE c.user_id IS NOT NULL AND c.parent_call_id IS NULL
               GROUP BY c.user_id) u
        LEFT JOIN user_labels l ON l.user_id = u.user_id
       ORDER BY u.last_seen DESC, u.user_id
       LIMIT $1 OFFSET $2""";

  private static final String SET =
      """
      INSERT INTO user_labels (user_id, label, updated_at) VALUES ($1, $2, now())
      ON CONFLICT (user_id) DO UPDATE SET label = EXCLUDED.label, updated_at = EXCLUDED.updated_at
      RETURNING updated_at""";

  private final Pool pool;

  UserLabels(Pool pool) {
    this.pool = pool;
  }

  /**
   * luthien-proxy's {@code {users: [user_id], labels: {user_id: label}}}, most recently seen first,
   * and {@code details}: per user its {@code call_count}, {@code session_count}, {@code
   * first_seen}, {@code last_seen} and {@code label}.
   */
  Future<JsonObject> users(int limit, int offset) {
    return pool.preparedQuery(USERS)
        .execute(Tuple.of(limit, offset))
        .map(
            rows -> {
              JsonArray users = new JsonArray();
              JsonObject labels = new JsonObject();
              JsonArray details = new JsonArray();
              for (Row row : rows) {
                String userId = row.getString("user_id");
                users.add(userId);
                if (row.getString("label") != null) {
                  labels.put(userId, row.getString("label"));
                }
                details.add(
                    new JsonObject()
                        .put("user_id", userId)
                        .put("label", row.getString("label"))
                        .put("call_count", row.getLong("call_count"))
                        .put("session_count", row.getLong("session_count"))
                        .put(
                            "first_seen",
                            row.getOffsetDateTime("first_seen").toInstant().toString())
                        .put(
                            "last_seen",
                            row.getOffsetDateTime("last_seen").toInstant().toString()));
              }
              return new JsonObject()
                  .put("users", users)
                  .put("labels", labels)
                  .put("details", details);
            });
  }

  /** {@code {user_id: label}}, every label. */
  Future<JsonObject> labels() {
    return pool.query("SELECT user_id, label FROM user_labels ORDER BY label, user_id")
        .execute()
        .map(
            rows -> {
              JsonObject labels = new JsonObject();
              for (Row row : rows) {
                labels.put(row.getString("user_id"), row.getString("label"));
              }
              return labels;
            });
  }

  Future<Void> set(String userId, String label) {
    return pool.preparedQuery(SET).execute(Tuple.of(userId, label)).mapEmpty();
  }

  /** Whether there was a label to delete. */
  Future<Boolean> delete(String userId) {
    return pool.preparedQuery("DELETE FROM user_labels WHERE user_id = $1")
        .execute(Tuple.of(userId))
        .map(rows -> rows.rowCount() > 0);
  }
}
