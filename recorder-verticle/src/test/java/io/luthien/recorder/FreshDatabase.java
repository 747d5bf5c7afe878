package io.luthien.recorder;

import static io.luthien.recorder.Waiting.await;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.LocalServices;
import io.luthien.shared.Settings;
import io.luthien.shared.StorageSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database of one test class's own on the local PostgreSQL, migrated, for tests that delete rows
 * or read every row: the shared {@code test} database holds other suites' recordings.
 */
final class FreshDatabase implements AutoCloseable {

  final String url;
  final Pool pool;
  private final Vertx vertx;

  private FreshDatabase(String url, Vertx vertx) {
    this.url = url;
    this.vertx = vertx;
    this.pool = PgBuilder.pool().connectingTo(url).using(vertx).build();
  }

  static FreshDatabase create() {
    String url = LocalServices.freshDatabase();
    Vertx vertx = Vertx.vertx();
    try {
      await(
          StorageSchema.migrate(
              vertx,
              DatabaseSettings.from(
                  new Settings(new JsonObject().put(DatabaseSettings.DATABASE_URL, url)))));
    } catch (RuntimeException | AssertionError e) {
      await(vertx.close());
      LocalServices.dropDatabase(url);
      throw e;
    }
    return new FreshDatabase(url, vertx);
  }

  DatabaseSettings settings() {
    return DatabaseSettings.from(
        new Settings(new JsonObject().put(DatabaseSettings.DATABASE_URL, url)));
  }

  /** Recorder config pointing at this database. */
  JsonObject config() {
    return new JsonObject().put(DatabaseSettings.DATABASE_URL, url);
  }

  void update(String sql, Tuple arguments) {
    await(pool.preparedQuery(sql).execute(arguments));
  }

  /** A call row created {@code age} ago, with two events; its id. */
  UUID call(Duration age) {
    return call(age, null);
  }

  /** A model call of {@code parent} (or a call of its own when null) created {@code age} ago. */
  UUID call(Duration age, UUID parent) {
    UUID callId = UUID.randomUUID();
    OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC).minus(age);
    update(
        "INSERT INTO conversation_calls (call_id, model, status, created_at, completed_at, parent_call_id)"
            + " VALUES ($1, 'gpt-4o', 200, $2, $2, $3)",
        Tuple.of(callId, createdAt, parent));
    update(
        "INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)"
            + " VALUES ($1, 'request', 0, '{}', $2), ($1, 'response', 1, '{}', $2)",
        Tuple.of(callId, createdAt));
    return callId;
  }

  /** {@code count} calls created {@code age} ago, two events each, in one statement; their ids. */
  List<UUID> calls(int count, Duration age) {
    List<UUID> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(UUID.randomUUID());
    }
    update(
        """
        WITH calls AS (
          INSERT INTO conversation_calls (call_id, model, status, created_at, completed_at)
          SELECT id, 'gpt-4o', 200, $2, $2 FROM unnest($1::uuid[]) AS id RETURNING call_id)
        INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
        SELECT call_id, e.type, e.seq, '{}', $2
          FROM calls, (VALUES ('request', 0), ('response', 1)) AS e(type, seq)""",
        Tuple.tuple()
            .addArrayOfUUID(ids.toArray(UUID[]::new))
            .addOffsetDateTime(OffsetDateTime.now(ZoneOffset.UTC).minus(age)));
    return ids;
  }

  long count(String sql, List<UUID> callIds) {
    return await(
            pool.preparedQuery(sql)
                .execute(Tuple.tuple().addArrayOfUUID(callIds.toArray(UUID[]::new))))
        .iterator()
        .next()
        .getLong(0);
  }

  long calls(List<UUID> callIds) {
    return count("SELECT count(*) FROM conversation_calls WHERE call_id = ANY($1)", callIds);
  }

  long events(List<UUID> callIds) {
    return count("SELECT count(*) FROM conversation_events WHERE call_id = ANY($1)", callIds);
  }

  long allCalls() {
    return await(pool.query("SELECT count(*) FROM conversation_calls").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  @Override
  public void close() {
    await(pool.close());
    await(vertx.close());
    LocalServices.dropDatabase(url);
  }
}
