package io.luthien.shared;

/** Every event-bus address the nodes agree on. No address literal lives anywhere else. */
public final class Addresses {

  /**
   * Request/reply: {call_id, api, request} → {request, events} | {blocked: {status, message},
   * events} ({@link io.luthien.shared.payloads.PolicyRequest} → {@link
   * io.luthien.shared.payloads.PolicyRequestReply}).
   */
  public static final String POLICY_REQUEST = "policy.request";

  /**
   * Request/reply: {call_id, request, response} → {response, events} ({@link
   * io.luthien.shared.payloads.PolicyResponse} → {@link
   * io.luthien.shared.payloads.PolicyResponseReply}).
   */
  public static final String POLICY_RESPONSE = "policy.response";

  /**
   * Request/reply, any policy node: {call_id, request} → {session}. The reply names the node-local
   * address ({@link #POLICY_STREAM_SESSION_PREFIX} + instance id) that takes this call's chunk and
   * close messages, so every chunk of one stream reaches the policy instance that holds the
   * stream's state ({@link io.luthien.shared.payloads.PolicyStreamOpen} → {@link
   * io.luthien.shared.payloads.PolicyStreamOpened}).
   */
  public static final String POLICY_STREAM_OPEN = "policy.stream.open";

  /**
   * Prefix of the per-policy-instance session address. Request/reply, ordered by {@code seq}:
   * {kind: "chunk", call_id, seq, chunk} → {chunks, events}; {kind: "close", call_id, seq} →
   * {chunks, events}, where close flushes what the policy buffered and ends the session ({@link
   * io.luthien.shared.payloads.PolicyStreamMessage} → {@link
   * io.luthien.shared.payloads.PolicyStreamReply}).
   */
  public static final String POLICY_STREAM_SESSION_PREFIX = "policy.stream.session.";

  /**
   * Send (point-to-point, any recorder node, fire-and-forget): {call_id, event_type, sequence,
   * timestamp, payload, call?}. {@code event_type} is {@code request} (payload {original, final,
   * blocked?}), {@code response} (payload {original, final, status, error?}) or {@code
   * policy.<type>} (payload {phase, data}); {@code sequence} counts from 0 per call, so (call_id,
   * event_type, sequence) is the idempotent key. {@code call} holds the columns of the call's row
   * that this event knows ({model, provider, api, stream, status, created_at, completed_at}, any
   * subset) ({@link io.luthien.shared.payloads.RecorderEvent}).
   */
  public static final String RECORDER_EVENTS = "recorder.events";

  /**
   * Send (point-to-point, any recorder node, fire-and-forget): {call_id, event_type, timestamp,
   * data}, a small live event (previews, never whole payloads); {@code data.model} is always there.
   * The recorder relays it to the activity feed: Redis channel {@link #ACTIVITY_REDIS_CHANNEL}, or
   * {@link #ACTIVITY_FEED} without Redis ({@link io.luthien.shared.payloads.ActivityEvent}).
   */
  public static final String ACTIVITY_EVENTS = "activity.events";

  /**
   * Publish: the activity feed on the event bus when no Redis is configured; same body as {@link
   * #ACTIVITY_EVENTS}.
   */
  public static final String ACTIVITY_FEED = "activity.feed";

  /**
   * The Redis pub/sub channel of the activity feed (not an event-bus address, but the same body).
   */
  public static final String ACTIVITY_REDIS_CHANNEL = "luthien:activity";

  private Addresses() {}

  /**
   * The node-local twin of {@link #POLICY_REQUEST}, {@link #POLICY_RESPONSE} or {@link
   * #POLICY_STREAM_OPEN} served by the policy instance running on event loop {@code eventLoop}.
   * Same contract as the shared address; a gateway tries it first so that, when gateway and policy
   * share a JVM, a call stays on one thread.
   */
  public static String colocated(String address, String eventLoop) {
    return address + "@" + eventLoop;
  }
}
