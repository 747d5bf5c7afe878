package io.luthien.debug.history;

import io.luthien.shared.DatabaseSettings;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes recorded calls with their session columns straight into a test database, the way the
 * recorder leaves them (its {@code search_text} from the same texts the recorder takes). Public for
 * the pages' browser test.
 */
public final class RecordedSessions implements AutoCloseable {

  private final Pool pool;

  private RecordedSessions(Pool pool) {
    this.pool = pool;
  }

  public static RecordedSessions open(Vertx vertx, String databaseUrl) {
    DatabaseSettings database =
        DatabaseSettings.from(new Settings(new JsonObject().put("DATABASE_URL", databaseUrl)));
    await(StorageSchema.migrate(vertx, database));
    return new RecordedSessions(
        PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build());
  }

  /** One call of a session, and what its row says. */
  public record Call(
      String sessionId,
      String userId,
      String model,
      String api,
      OffsetDateTime at,
      UUID parent,
      boolean changed,
      boolean blocked,
      boolean judged,
      String searchText) {

    public static Call of(String sessionId, String userId, String model, OffsetDateTime at) {
      return new Call(sessionId, userId, model, "anthropic", at, null, false, false, false, null);
    }

    public Call api(String value) {
      return new Call(
          sessionId, userId, model, value, at, parent, changed, blocked, judged, searchText);
    }

    public Call childOf(UUID value) {
      return new Call(
          sessionId, userId, model, api, at, value, changed, blocked, judged, searchText);
    }

    public Call flags(boolean isChanged, boolean isBlocked, boolean isJudged) {
      return new Call(
          sessionId, userId, model, api, at, parent, isChanged, isBlocked, isJudged, searchText);
    }

    public Call text(String value) {
      return new Call(sessionId, userId, model, api, at, parent, changed, blocked, judged, value);
    }
  }

  public UUID insert(Call call) {
    UUID callId = UUID.randomUUID();
    await(
        pool.preparedQuery(
                """
        INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at,
                                        parent_call_id, session_id, user_id, policy_changed, policy_blocked,
                                        policy_judged, search_text)
        VALUES ($1, $2, 'mock', $3, false, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                to_tsvector('english', coalesce($13, '')))""")
            .execute(
                Tuple.tuple()
                    .addUUID(callId)
                    .addString(call.model())
                    .addString(call.api())
                    .addInteger(call.blocked() ? 403 : 200)
                    .addOffsetDateTime(call.at())
                    .addOffsetDateTime(call.at().plusSeconds(2))
                    .addUUID(call.parent())
                    .addString(call.sessionId())
                    .addString(call.userId())
                    .addBoolean(call.changed())
                    .addBoolean(call.blocked())
                    .addBoolean(call.judged())
                    .addString(call.searchText())));
    return callId;
  }

  public void event(UUID callId, String type, int sequence, JsonObject payload, OffsetDateTime at) {
    await(
        pool.preparedQuery(
                """
        INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
        VALUES ($1, $2, $3, $4, $5)""")
            .execute(Tuple.of(callId, type, sequence, payload, at)));
  }

  /** The request event of a call its policy let through unchanged. */
  public void request(UUID callId, JsonObject request, OffsetDateTime at) {
    event(callId, "request", 0, sides(request, request), at);
  }

  public void response(UUID callId, int sequence, JsonObject response, OffsetDateTime at) {
    event(callId, "response", sequence, sides(response, response).put("status", 200), at);
  }

  public static JsonObject sides(JsonObject original, JsonObject changed) {
    return new JsonObject().put("original", original).put("final", changed);
  }

  public static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  public static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  public static JsonObject anthropicAnswer(JsonArray content) {
    return new JsonObject()
        .put("id", "msg_1")
        .put("type", "message")
        .put("role", "assistant")
        .put("content", content)
        .put("stop_reason", "end_turn");
  }

  /** A user's label, as {@code PUT /api/history/user-labels/{user_id}} leaves it. */
  public void label(String userId, String label) {
    await(
        pool.preparedQuery(
                "INSERT INTO user_labels (user_id, label, updated_at) VALUES ($1, $2, now())")
            .execute(Tuple.of(userId, label)));
  }

  @Override
  public void close() {
    await(pool.close());
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }
}
