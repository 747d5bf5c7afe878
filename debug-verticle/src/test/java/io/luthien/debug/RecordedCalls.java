package io.luthien.debug;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.LocalServices;
import io.luthien.shared.Settings;
import io.luthien.shared.StorageSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Writes recorded calls straight into the real test database, the way the recorder leaves them. */
final class RecordedCalls implements AutoCloseable {

  static final String DATABASE_URL = LocalServices.POSTGRES_URL;

  private final Pool pool;

  private RecordedCalls(Pool pool) {
    this.pool = pool;
  }

  static RecordedCalls open(Vertx vertx) {
    return open(vertx, DATABASE_URL);
  }

  /** On another database than the shared test one (a fresh one a test made). */
  static RecordedCalls open(Vertx vertx, String databaseUrl) {
    DatabaseSettings database =
        DatabaseSettings.from(new Settings(new JsonObject().put("DATABASE_URL", databaseUrl)));
    await(StorageSchema.migrate(vertx, database));
    return new RecordedCalls(
        PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build());
  }

  /** A call whose policy upper-cased the last user message and the answer. */
  UUID insertChangedCall(String model, OffsetDateTime createdAt, String userText, String answer) {
    UUID callId = UUID.randomUUID();
    JsonObject original = request(model, userText);
    JsonObject changed = request(model, userText.toUpperCase(Locale.ROOT));
    insertCall(callId, model, 200, createdAt);
    insertEvent(
        callId,
        "request",
        0,
        new JsonObject().put("original", original).put("final", changed),
        createdAt);
    insertEvent(
        callId,
        "policy.uppercased",
        1,
        new JsonObject()
            .put("phase", "response")
            .put("data", new JsonObject().put("chars", answer.length())),
        createdAt);
    insertEvent(
        callId,
        "response",
        2,
        new JsonObject()
            .put("original", completion(model, answer))
            .put("final", completion(model, answer.toUpperCase(Locale.ROOT)))
            .put("status", 200),
        createdAt.plusNanos(5_000_000));
    return callId;
  }

  void insertCall(UUID callId, String model, Integer status, OffsetDateTime createdAt) {
    await(
        pool.preparedQuery(
                """
        INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at)
        VALUES ($1, $2, 'mock', 'openai', false, $3, $4, $5)""")
            .execute(Tuple.of(callId, model, status, createdAt, createdAt.plusNanos(5_000_000))));
  }

  void insertEvent(
      UUID callId, String type, int sequence, JsonObject payload, OffsetDateTime createdAt) {
    await(
        pool.preparedQuery(
                """
        INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
        VALUES ($1, $2, $3, $4, $5)""")
            .execute(Tuple.of(callId, type, sequence, payload, createdAt)));
  }

  long callRows() {
    return await(pool.query("SELECT count(*) FROM conversation_calls").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  static JsonObject request(String model, String userText) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 64)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)));
  }

  static JsonObject completion(String model, String text) {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion")
        .put("model", model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", text))
                        .put("finish_reason", "stop")));
  }

  @Override
  public void close() {
    await(pool.close());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }
}
