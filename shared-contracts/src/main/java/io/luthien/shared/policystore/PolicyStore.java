package io.luthien.shared.policystore;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The policies set at run time, in PostgreSQL's {@code policy_config} (migration V3): the debug
 * node's admin API writes a change, the policy nodes read the active one. A change and the
 * deactivation of the one it replaces are one transaction, serialised by an advisory lock: of two
 * concurrent changes, both are kept in order and the later one is active.
 */
public final class PolicyStore {

  /** The advisory lock that serialises changes ("luthien policy" in ASCII, any fixed number). */
  private static final long CHANGE_LOCK = 0x6c757468_706f6cL;

  private static final String COLUMNS =
      "id, policy_class_ref, config, enabled_at, enabled_by, is_active, previous_id";

  private static final String UNDEFINED_TABLE = "42P01";

  private final Pool pool;

  public PolicyStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The active policy, if one was ever set; none while the table is not there yet (a policy node
   * may ask before the first recorder or debug node has migrated the schema).
   */
  public Future<Optional<StoredPolicy>> active() {
    return pool.query("SELECT " + COLUMNS + " FROM policy_config WHERE is_active")
        .execute()
        .map(rows -> first(rows).map(StoredPolicy::of))
        .recover(
            failure ->
                failure instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState())
                    ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(failure));
  }

  /** Stores {@code classRef} with {@code config} as the active policy, replacing the last one. */
  public Future<StoredPolicy> activate(String classRef, JsonObject config, String enabledBy) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(CHANGE_LOCK))
                .compose(locked -> deactivate(connection))
                .compose(
                    previous ->
                        connection
                            .preparedQuery(
                                "INSERT INTO policy_config"
                                    + " (policy_class_ref, config, enabled_by, is_active,"
                                    + " previous_id) VALUES ($1, $2, $3, true, $4) RETURNING "
                                    + COLUMNS)
                            .execute(Tuple.of(classRef, config, enabledBy, previous))
                            .map(rows -> StoredPolicy.of(rows.iterator().next()))));
  }

  /**
   * The changes newest first, each with the chain it replaced ({@code previous}), at most {@code
   * limit}, older than {@code beforeId} when given.
   */
  public Future<JsonArray> history(int limit, Long beforeId) {
    return pool.preparedQuery(
            "SELECT c.id, c.policy_class_ref, c.config, c.enabled_at, c.enabled_by, c.is_active,"
                + " c.previous_id, p.policy_class_ref AS previous_class_ref,"
                + " p.config AS previous_config FROM policy_config c"
                + " LEFT JOIN policy_config p ON p.id = c.previous_id"
                + " WHERE ($2::bigint IS NULL OR c.id < $2) ORDER BY c.id DESC LIMIT $1")
        .execute(Tuple.of(limit, beforeId))
        .map(
            rows -> {
              JsonArray changes = new JsonArray();
              for (Row row : rows) {
                JsonObject change = StoredPolicy.of(row).toJson();
                Long previousId = row.getLong("previous_id");
                change.put(
                    "previous",
                    previousId == null
                        ? null
                        : new JsonObject()
                            .put("id", previousId)
                            .put("policy_class_ref", row.getString("previous_class_ref"))
                            .put("config", row.getValue("previous_config")));
                changes.add(change);
              }
              return changes;
            });
  }

  private static Future<Long> deactivate(SqlConnection connection) {
    return connection
        .query("UPDATE policy_config SET is_active = false WHERE is_active RETURNING id")
        .execute()
        .map(rows -> first(rows).map(row -> row.getLong("id")).orElse(null));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var iterator = rows.iterator();
    return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
  }
}
