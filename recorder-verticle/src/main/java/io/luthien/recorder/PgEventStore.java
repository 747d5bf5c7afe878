package io.luthien.recorder;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a batch in one statement (arrays unnested server side, so one round trip and no explicit
 * transaction): the event rows are inserted first, and the call rows are upserted with the {@link
 * SearchText} of the events that were new (a redelivered event adds nothing). Each call row gets
 * one new version per batch, search text included, rather than one for its columns and another for
 * its text; the events' foreign key is checked at the end of the statement, when their calls exist.
 * A failure fails the whole batch; {@link IsolatingStore} finds the event behind it.
 */
final class PgEventStore implements EventStore {

  /**
   * Known values are never replaced by NULL; the call's time span only widens; an intervention flag
   * once on stays on; new text is appended to the call's search text.
   */
  private static final String WRITE_BATCH =
      """
      WITH inserted AS (
        INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
        SELECT call_id, event_type, sequence, payload::jsonb, created_at
        FROM unnest($15::uuid[], $16::text[], $17::integer[], $18::text[], $19::timestamptz[])
             AS e(call_id, event_type, sequence, payload, created_at)
        ON CONFLICT (call_id, event_type, sequence) DO NOTHING
        RETURNING call_id, event_type, sequence
      ), texts AS (
        SELECT t.call_id,
               to_tsvector('english', string_agg(t.text, E'\n' ORDER BY t.sequence)) AS search_text
        FROM (SELECT DISTINCT ON (call_id, event_type, sequence) *
              FROM unnest($15::uuid[], $16::text[], $17::integer[], $20::text[])
                   AS u(call_id, event_type, sequence, text)
              WHERE text IS NOT NULL) t
        JOIN inserted USING (call_id, event_type, sequence)
        GROUP BY t.call_id
      )
      INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at,
                                      parent_call_id, session_id, user_id, policy_changed, policy_blocked,
                                      policy_judged, search_text)
      SELECT c.*, texts.search_text
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::integer[],
                  $7::timestamptz[], $8::timestamptz[], $9::uuid[], $10::text[], $11::text[],
                  $12::boolean[], $13::boolean[], $14::boolean[])
           AS c(call_id, model, provider, api, stream, status, created_at, completed_at, parent_call_id,
                session_id, user_id, policy_changed, policy_blocked, policy_judged)
      LEFT JOIN texts USING (call_id)
      ORDER BY c.call_id
      ON CONFLICT (call_id) DO UPDATE SET
        model        = COALESCE(EXCLUDED.model, conversation_calls.model),
        provider     = COALESCE(EXCLUDED.provider, conversation_calls.provider),
        api          = COALESCE(EXCLUDED.api, conversation_calls.api),
        stream       = COALESCE(EXCLUDED.stream, conversation_calls.stream),
        status       = COALESCE(EXCLUDED.status, conversation_calls.status),
        created_at   = LEAST(conversation_calls.created_at, EXCLUDED.created_at),
        completed_at = GREATEST(conversation_calls.completed_at, EXCLUDED.completed_at),
        parent_call_id = COALESCE(EXCLUDED.parent_call_id, conversation_calls.parent_call_id),
        session_id   = COALESCE(EXCLUDED.session_id, conversation_calls.session_id),
        user_id      = COALESCE(EXCLUDED.user_id, conversation_calls.user_id),
        policy_changed = conversation_calls.policy_changed OR EXCLUDED.policy_changed,
        policy_blocked = conversation_calls.policy_blocked OR EXCLUDED.policy_blocked,
        policy_judged  = conversation_calls.policy_judged OR EXCLUDED.policy_judged,
        search_text  = CASE WHEN EXCLUDED.search_text IS NULL THEN conversation_calls.search_text
                            ELSE COALESCE(conversation_calls.search_text, ''::tsvector) || EXCLUDED.search_text
                       END
      """;

  private final Pool pool;

  PgEventStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> write(List<RecordedEvent> batch) {
    Tuple tuple = calls(batch);
    events(batch, tuple);
    return pool.preparedQuery(WRITE_BATCH).execute(tuple).mapEmpty();
  }

  private static Tuple calls(List<RecordedEvent> batch) {
    Map<UUID, CallColumns> calls = new LinkedHashMap<>();
    // the statement upserts them ORDER BY call_id: the same lock order on every recorder node
    for (RecordedEvent event : batch) {
      calls.merge(event.callId(), event.call(), CallColumns::merge);
    }
    int size = calls.size();
    UUID[] ids = new UUID[size];
    String[] models = new String[size];
    String[] providers = new String[size];
    String[] apis = new String[size];
    Boolean[] streams = new Boolean[size];
    Integer[] statuses = new Integer[size];
    OffsetDateTime[] createdAts = new OffsetDateTime[size];
    OffsetDateTime[] completedAts = new OffsetDateTime[size];
    UUID[] parents = new UUID[size];
    String[] sessions = new String[size];
    String[] users = new String[size];
    Boolean[] changed = new Boolean[size];
    Boolean[] blocked = new Boolean[size];
    Boolean[] judged = new Boolean[size];
    int i = 0;
    for (Map.Entry<UUID, CallColumns> call : calls.entrySet()) {
      CallColumns columns = call.getValue();
      ids[i] = call.getKey();
      models[i] = columns.model();
      providers[i] = columns.provider();
      apis[i] = columns.api();
      streams[i] = columns.stream();
      statuses[i] = columns.status();
      createdAts[i] = columns.createdAt();
      completedAts[i] = columns.completedAt();
      parents[i] = columns.parentCallId();
      sessions[i] = columns.sessionId();
      users[i] = columns.userId();
      changed[i] = columns.policyChanged();
      blocked[i] = columns.policyBlocked();
      judged[i] = columns.policyJudged();
      i++;
    }
    return Tuple.tuple()
        .addArrayOfUUID(ids)
        .addArrayOfString(models)
        .addArrayOfString(providers)
        .addArrayOfString(apis)
        .addArrayOfBoolean(streams)
        .addArrayOfInteger(statuses)
        .addArrayOfOffsetDateTime(createdAts)
        .addArrayOfOffsetDateTime(completedAts)
        .addArrayOfUUID(parents)
        .addArrayOfString(sessions)
        .addArrayOfString(users)
        .addArrayOfBoolean(changed)
        .addArrayOfBoolean(blocked)
        .addArrayOfBoolean(judged);
  }

  /** Adds the event columns, parameters 15 to 20, to the call columns' tuple. */
  private static void events(List<RecordedEvent> batch, Tuple tuple) {
    int size = batch.size();
    UUID[] ids = new UUID[size];
    String[] types = new String[size];
    Integer[] sequences = new Integer[size];
    String[] payloads = new String[size];
    OffsetDateTime[] timestamps = new OffsetDateTime[size];
    String[] texts = new String[size];
    for (int i = 0; i < size; i++) {
      RecordedEvent event = batch.get(i);
      ids[i] = event.callId();
      types[i] = event.eventType();
      sequences[i] = event.sequence();
      payloads[i] = event.payloadJson();
      timestamps[i] = event.timestamp();
      texts[i] = event.searchText();
    }
    tuple
        .addArrayOfUUID(ids)
        .addArrayOfString(types)
        .addArrayOfInteger(sequences)
        .addArrayOfString(payloads)
        .addArrayOfOffsetDateTime(timestamps)
        .addArrayOfString(texts);
  }
}
