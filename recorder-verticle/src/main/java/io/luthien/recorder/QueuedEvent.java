package io.luthien.recorder;

import io.opentelemetry.api.trace.SpanContext;

/**
 * An event waiting in the {@link BatchWriter}'s buffer.
 *
 * @param receivedIn the span that received its message (invalid when the sender did not trace it):
 *     the batch that writes it links to it, so a call's trace leads to its write and back; never
 *     stored
 * @param sinceNanos when it was queued, for the flush delay
 */
record QueuedEvent(RecordedEvent event, SpanContext receivedIn, long sinceNanos) {}
