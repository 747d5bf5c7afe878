package io.luthien.recorder;

import io.luthien.shared.Addresses;
import io.luthien.shared.FailureCodes;
import io.luthien.shared.Fields;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link Addresses#RECORDED_EXCHANGE}: a recorded call's final request and response, as its
 * client saw them, read back from PostgreSQL. A call whose answer is not written yet (the recorder
 * writes in batches), failed, or was too large to keep whole has none, and so has one whose
 * exchange was deleted: {@code {call_id, delete: true}} adds an {@code exchange.deleted} event to
 * the call (the recording stays, for the debug pages) and replies {@code {deleted: true}}.
 */
final class RecordedExchanges {

  private static final Logger log = LoggerFactory.getLogger(RecordedExchanges.class);

  private static final String EXCHANGE =
      """
      SELECT c.api, c.status,
             (SELECT luthien_payload(e.payload) -> 'final' FROM conversation_events e
               WHERE e.call_id = c.call_id AND e.event_type = 'request'
               ORDER BY e.sequence LIMIT 1) AS request,
             (SELECT luthien_payload(e.payload) -> 'final' FROM conversation_events e
               WHERE e.call_id = c.call_id AND e.event_type = 'response'
               ORDER BY e.sequence LIMIT 1) AS response
        FROM conversation_calls c WHERE c.call_id = $1
         AND NOT EXISTS (SELECT 1 FROM conversation_events d
                          WHERE d.call_id = c.call_id AND d.event_type = '%s')"""
          .formatted(Fields.EVENT_EXCHANGE_DELETED);

  private static final String DELETE =
      """
      INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
      VALUES ($1, '%s', 0, '{}'::jsonb, now())
      ON CONFLICT (call_id, event_type, sequence) DO NOTHING"""
          .formatted(Fields.EVENT_EXCHANGE_DELETED);

  private final Pool pool;

  RecordedExchanges(Pool pool) {
    this.pool = pool;
  }

  void answer(Message<Object> message) {
    UUID callId;
    boolean delete;
    try {
      JsonObject body = (JsonObject) message.body();
      callId = UUID.fromString(body.getString(Fields.CALL_ID, "missing"));
      delete = body.getBoolean(Fields.DELETE, false);
    } catch (ClassCastException | IllegalArgumentException e) {
      message.fail(FailureCodes.BAD_MESSAGE, "expected {call_id: <uuid>, delete?: <boolean>}");
      return;
    }
    pool.preparedQuery(EXCHANGE)
        .execute(Tuple.of(callId))
        .onSuccess(
            rows -> {
              Row row = rows.size() == 0 ? null : rows.iterator().next();
              if (row == null
                  || !Integer.valueOf(200).equals(row.getInteger("status"))
                  || !(row.getValue("request") instanceof JsonObject request)
                  || !(row.getValue("response") instanceof JsonObject response)) {
                message.fail(
                    FailureCodes.NOT_RECORDED, "call " + callId + " has no recorded answer");
                return;
              }
              if (delete) {
                forget(message, callId);
                return;
              }
              message.reply(
                  new JsonObject()
                      .put(Fields.API, row.getString("api"))
                      .put(Fields.EVENT_REQUEST, request)
                      .put(Fields.EVENT_RESPONSE, response));
            })
        .onFailure(
            failed -> {
              log.warn("call {}: its recorded exchange could not be read", callId, failed);
              message.fail(FailureCodes.STORAGE_FAILED, "the recording could not be read");
            });
  }

  private void forget(Message<Object> message, UUID callId) {
    pool.preparedQuery(DELETE)
        .execute(Tuple.of(callId))
        .onSuccess(inserted -> message.reply(new JsonObject().put("deleted", true)))
        .onFailure(
            failed -> {
              log.warn("call {}: its recorded exchange could not be deleted", callId, failed);
              message.fail(FailureCodes.STORAGE_FAILED, "the recording could not be written");
            });
  }
}
