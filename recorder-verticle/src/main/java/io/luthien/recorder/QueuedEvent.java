package io.luthien.recorder;

import io.opentelemetry.api.trace.SpanContext;

/**
 * An event waiting in the {@link BatchWriter}'s buffer.
 *
 * @param callSpan the call's span that sent its message (invalid when the sender did not trace it):
 *     the batch that writes it links to it, so a call's trace leads to its write and back; never
 *     stored
 * @param sinceNanos when it was queued, for the flush delay
 * @param order its rank among the events the writer was given (0, 1, 2, ...), which a failed batch
 *     keeps when it goes back among the waiting events
 */
record QueuedEvent(RecordedEvent event, SpanContext callSpan, long sinceNanos, long order) {}
