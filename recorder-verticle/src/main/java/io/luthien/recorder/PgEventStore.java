package io.luthien.recorder;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch in one transaction of two multi-row statements (arrays unnested server side): the
 * batch's call rows first, because every event row references its call, then the event rows.
 */
final class PgEventStore implements EventStore {

  private static final Logger log = LoggerFactory.getLogger(PgEventStore.class);

  /** Known values are never replaced by NULL; the call's time span only widens. */
  private static final String UPSERT_CALLS =
      """
      INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at)
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::integer[],
                           $7::timestamptz[], $8::timestamptz[])
      ON CONFLICT (call_id) DO UPDATE SET
        model        = COALESCE(EXCLUDED.model, conversation_calls.model),
        provider     = COALESCE(EXCLUDED.provider, conversation_calls.provider),
        api          = COALESCE(EXCLUDED.api, conversation_calls.api),
        stream       = COALESCE(EXCLUDED.stream, conversation_calls.stream),
        status       = COALESCE(EXCLUDED.status, conversation_calls.status),
        created_at   = LEAST(conversation_calls.created_at, EXCLUDED.created_at),
        completed_at = GREATEST(conversation_calls.completed_at, EXCLUDED.completed_at)
      """;

  private static final String INSERT_EVENTS =
      """
      INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
      SELECT call_id, event_type, sequence, payload::jsonb, created_at
      FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::text[], $5::timestamptz[])
           AS e(call_id, event_type, sequence, payload, created_at)
      ON CONFLICT (call_id, event_type, sequence) DO NOTHING
      """;

  /**
   * SQLSTATE classes about the data itself (data exception, integrity, program limit): no retry can
   * help.
   */
  private static final Set<String> DATA_ERROR_CLASSES = Set.of("22", "23", "54");

  /**
   * Upsert order, the same on every recorder node, so that two concurrent batches lock call rows
   * alike.
   */
  private static final Comparator<UUID> LOCK_ORDER = Comparator.comparing(UUID::toString);

  private final Pool pool;
  private final RecorderStats stats;

  PgEventStore(Pool pool, RecorderStats stats) {
    this.pool = pool;
    this.stats = stats;
  }

  @Override
  public Future<Void> write(List<RecordedEvent> batch) {
    return writeTogether(batch)
        .recover(
            failure ->
                isDataError(failure) ? writeOneByOne(batch, 0) : Future.failedFuture(failure));
  }

  private Future<Void> writeTogether(List<RecordedEvent> batch) {
    return pool.withTransaction(
        connection ->
            upsertCalls(connection, batch).compose(upserted -> insertEvents(connection, batch)));
  }

  /**
   * One bad event must not hold every later one hostage: find it, report it, and write the rest.
   */
  private Future<Void> writeOneByOne(List<RecordedEvent> batch, int index) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    RecordedEvent event = batch.get(index);
    return writeTogether(List.of(event))
        .recover(
            failure -> {
              if (!isDataError(failure)) {
                return Future.failedFuture(failure);
              }
              long total = stats.eventRejected();
              log.warn(
                  "PostgreSQL refused event {} #{} of call_id {} ({} refused in total): {}",
                  shortened(event.eventType()),
                  event.sequence(),
                  event.callId(),
                  total,
                  LossLog.describe(failure));
              return Future.succeededFuture();
            })
        .compose(written -> writeOneByOne(batch, index + 1));
  }

  private static Future<Void> upsertCalls(SqlClient connection, List<RecordedEvent> batch) {
    Map<UUID, CallColumns> calls = new LinkedHashMap<>();
    batch.stream()
        .sorted(Comparator.comparing(RecordedEvent::callId, LOCK_ORDER))
        .forEach(event -> calls.merge(event.callId(), event.call(), CallColumns::merge));
    int size = calls.size();
    UUID[] ids = new UUID[size];
    String[] models = new String[size];
    String[] providers = new String[size];
    String[] apis = new String[size];
    Boolean[] streams = new Boolean[size];
    Integer[] statuses = new Integer[size];
    OffsetDateTime[] createdAts = new OffsetDateTime[size];
    OffsetDateTime[] completedAts = new OffsetDateTime[size];
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
      i++;
    }
    return connection
        .preparedQuery(UPSERT_CALLS)
        .execute(
            Tuple.tuple()
                .addArrayOfUUID(ids)
                .addArrayOfString(models)
                .addArrayOfString(providers)
                .addArrayOfString(apis)
                .addArrayOfBoolean(streams)
                .addArrayOfInteger(statuses)
                .addArrayOfOffsetDateTime(createdAts)
                .addArrayOfOffsetDateTime(completedAts))
        .mapEmpty();
  }

  private static Future<Void> insertEvents(SqlClient connection, List<RecordedEvent> batch) {
    int size = batch.size();
    UUID[] ids = new UUID[size];
    String[] types = new String[size];
    Integer[] sequences = new Integer[size];
    String[] payloads = new String[size];
    OffsetDateTime[] timestamps = new OffsetDateTime[size];
    for (int i = 0; i < size; i++) {
      RecordedEvent event = batch.get(i);
      ids[i] = event.callId();
      types[i] = event.eventType();
      sequences[i] = event.sequence();
      payloads[i] = event.payloadJson();
      timestamps[i] = event.timestamp();
    }
    return connection
        .preparedQuery(INSERT_EVENTS)
        .execute(
            Tuple.tuple()
                .addArrayOfUUID(ids)
                .addArrayOfString(types)
                .addArrayOfInteger(sequences)
                .addArrayOfString(payloads)
                .addArrayOfOffsetDateTime(timestamps))
        .mapEmpty();
  }

  private static String shortened(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  private static boolean isDataError(Throwable failure) {
    return failure instanceof PgException pg
        && pg.getSqlState() != null
        && pg.getSqlState().length() == 5
        && DATA_ERROR_CLASSES.contains(pg.getSqlState().substring(0, 2));
  }
}
