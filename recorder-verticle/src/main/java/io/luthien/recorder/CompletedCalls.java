package io.luthien.recorder;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the calls a written batch completed and hands them to the {@link WebhookSender}. A call is
 * complete once an event that ends it is stored: one whose {@code call} carries {@code
 * completed_at} (the {@code response} event, or the {@code request} event of a call the policy
 * blocked). Its row is read back whole, as JSON, so columns added by later migrations reach the
 * receiver without a change here; {@code search_text} (the full-text search's copy of the messages)
 * is left out. Reading runs beside the recorder's writes and nothing waits for it.
 */
final class CompletedCalls {

  static final String EVENT = "call.completed";

  private static final String ROWS =
      """
      SELECT call_id, to_jsonb(c) - 'search_text' AS call
        FROM conversation_calls c WHERE call_id = ANY($1)""";

  private final Pool pool;
  private final WebhookSender webhook;

  CompletedCalls(Pool pool, WebhookSender webhook) {
    this.pool = pool;
    this.webhook = webhook;
  }

  /** Called with each batch once it is committed. */
  void written(List<RecordedEvent> batch) {
    Set<UUID> completed = new LinkedHashSet<>();
    for (RecordedEvent event : batch) {
      if (event.call().completedAt() != null) {
        completed.add(event.callId());
      }
    }
    if (completed.isEmpty()) {
      return;
    }
    if (webhook.full()) {
      completed.forEach(callId -> webhook.refused(callId.toString()));
      return;
    }
    pool.preparedQuery(ROWS)
        .execute(Tuple.tuple().addArrayOfUUID(completed.toArray(UUID[]::new)))
        .onComplete(
            rows -> {
              for (Row row : rows) {
                webhook.offer(row.getUUID("call_id").toString(), body(row.getJsonObject("call")));
              }
            },
            failure -> completed.forEach(callId -> webhook.unreadable(callId.toString(), failure)));
  }

  /**
   * {@code {event, call, session_id, user_id, intervention: {changed, blocked, judged}}}: the last
   * three from the row's columns when it has them, else {@code null} and {@code false}.
   */
  static JsonObject body(JsonObject call) {
    return new JsonObject()
        .put("event", EVENT)
        .put("call", call)
        .put("session_id", call.getValue("session_id"))
        .put("user_id", call.getValue("user_id"))
        .put(
            "intervention",
            new JsonObject()
                .put("changed", flag(call, "policy_changed"))
                .put("blocked", flag(call, "policy_blocked"))
                .put("judged", flag(call, "policy_judged")));
  }

  private static boolean flag(JsonObject call, String column) {
    return Boolean.TRUE.equals(call.getValue(column));
  }
}
