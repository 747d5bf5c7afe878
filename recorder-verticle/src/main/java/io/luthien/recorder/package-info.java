/**
 * The recorder: every call's events into PostgreSQL, live activity to Redis pub/sub (or the event
 * bus).
 *
 * <h2>Write guarantees</h2>
 *
 * <ul>
 *   <li><b>At least once, one row.</b> A batch is one transaction, and up to {@code
 *       RECORDER_WRITERS} are written at once; a failed batch goes back to its place at the head of
 *       the buffer and is retried with exponential back-off until PostgreSQL takes it. An event
 *       written twice (a retry after a commit whose answer was lost, or a message sent twice) hits
 *       the idempotent key {@code (call_id, event_type, sequence)} and is a no-op, so each event
 *       ends up as exactly one row.
 *   <li><b>Calls before events.</b> The batch upserts its calls' rows first, merging columns: a
 *       known value is never replaced by NULL, {@code created_at} is the earliest time known and
 *       {@code completed_at} the latest, so events of one call may arrive in any order, on any
 *       recorder node.
 *   <li><b>Bounded memory.</b> At most {@code RECORDER_BUFFER_MAX} events and {@code
 *       RECORDER_BUFFER_MAX_BYTES} of payload wait in memory; a batch holds at most {@code
 *       RECORDER_BATCH_MAX_BYTES}, a stored payload {@code RECORDER_MAX_PAYLOAD_BYTES}. When
 *       PostgreSQL is down long enough to fill it, newer events are dropped, and every drop is
 *       counted ({@link io.luthien.recorder.RecorderStats#droppedEvents()}) and logged with the
 *       running total.
 *   <li><b>Nothing is lost silently.</b> Malformed messages, payloads that cannot be encoded,
 *       events that fail alone (a batch failing for any reason but the database being unavailable
 *       is split until they are found, {@link io.luthien.recorder.IsolatingStore}), activity events
 *       the feed could not take, and events still buffered when a bounded stop gives up are each
 *       counted or logged, with their call id.
 *   <li><b>Kept as long as configured.</b> With {@code CONVERSATION_RETENTION_DAYS}, {@link
 *       io.luthien.recorder.RetentionPurge} deletes older calls in batches, one node at a time (a
 *       PostgreSQL advisory lock).
 *   <li><b>Exported without waiting.</b> With {@code WEBHOOK_URL}, {@link
 *       io.luthien.recorder.CompletedCalls} reads back each call a written batch completed and
 *       {@link io.luthien.recorder.WebhookSender} POSTs it, from a bounded queue with bounded
 *       retries; what it drops is counted and logged.
 *   <li><b>Not durable across a crash.</b> Events buffered in memory when the process dies are
 *       lost; the gateway never waits for them, by design.
 * </ul>
 *
 * <h2>Telemetry</h2>
 *
 * Each batch write attempt is a {@code recorder.write_batch} span, the root of a trace of its own,
 * linked to the spans that received its events (one per call, at most 128) and parent of the pg
 * client's statements. An activity event is published with its message's context current, so the
 * Redis {@code PUBLISH} span is in the call's trace. {@link io.luthien.recorder.RecorderStats} is
 * read by observable metrics (queue size, written, dropped by reason, activity relayed and
 * dropped); write durations are a histogram.
 */
package io.luthien.recorder;
