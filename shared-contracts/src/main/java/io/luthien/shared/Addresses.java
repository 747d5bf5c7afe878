package io.luthien.shared;

/** Every event-bus address the nodes agree on. No address literal lives anywhere else. */
public final class Addresses {

  /**
   * Request/reply, any policy node: {call_id, api, session_id?, user_id?, request} → {request,
   * session, timeout_ms?, events} | {blocked: {status, message}, events} ({@link
   * io.luthien.shared.payloads.PolicyRequest} → {@link
   * io.luthien.shared.payloads.PolicyRequestReply}). It opens the call's session on the policy
   * instance that takes it: one policy context for the whole call. Everything else about the call
   * goes to the session address the reply names.
   */
  public static final String POLICY_REQUEST = "policy.request";

  /**
   * Prefix of the per-policy-instance session address (cluster-wide). Request/reply: {kind:
   * "response", call_id, request, response} → {response, events}, which ends the session; the
   * stream, ordered by {@code seq} from 0: {kind: "chunk", call_id, seq, chunk} → {chunks, events,
   * ended?} and {kind: "close", call_id, seq} → {chunks, events}, where close flushes what the
   * policy held back and ends the session; {kind: "release", call_id} → {} ends a session that will
   * see neither. An unknown call fails with {@link FailureCodes#UNKNOWN_STREAM}; a gone node with
   * no handlers: the gateway answers 503 ({@link io.luthien.shared.payloads.PolicyResponse}, {@link
   * io.luthien.shared.payloads.PolicyStreamMessage}, {@link
   * io.luthien.shared.payloads.PolicyRelease}).
   */
  public static final String POLICY_SESSION_PREFIX = "policy.session.";

  /**
   * Publish, every policy instance: a stored policy change ({@link
   * io.luthien.shared.policystore.StoredPolicy#toJson}); each instance that reads its policy from
   * the database switches to it (new calls only). Instances also poll the database, so one that
   * missed it catches up.
   */
  public static final String POLICY_CHANGED = "policy.changed";

  /**
   * Request/reply, any policy instance: {} → {policy, class_ref, config, enabled_at, enabled_by,
   * source, id?, path?}, the policy it serves now and where it came from.
   */
  public static final String POLICY_CURRENT = "policy.current";

  /**
   * Request/reply, any policy instance: {} → {policies: [{name, class_ref, description, category,
   * config_schema, example_config}]}, every policy class it can run (shipped and plugins).
   */
  public static final String POLICY_CATALOG = "policy.catalog";

  /**
   * Request/reply, any policy instance: {class, config} → {policy, policy_source}: the class and
   * its config are valid (built, not started). Fails with {@link FailureCodes#BAD_MESSAGE} and a
   * message naming the class or the config key.
   */
  public static final String POLICY_VALIDATE = "policy.validate";

  /**
   * Request/reply, any debug node: an HTTP request to {@code /api/*} made on a gateway's port
   * ({@link io.luthien.shared.payloads.ApiCall}) → its answer ({@link
   * io.luthien.shared.payloads.ApiAnswer}). The debug node checks the admin key, as on its own
   * port.
   */
  public static final String ADMIN_API = "debug.api";

  /**
   * Request/reply, any gateway node: {call_id, parent_call_id, policy, request, timeout_ms} → a
   * canonical {@code chat.completion}. A policy's model call (a judge): routed and sent like a
   * client's call, with no policy, recorded as a child of {@code parent_call_id}; fails with the
   * upstream's HTTP status as the failure code.
   */
  public static final String MODEL_CALL = "gateway.model.call";

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
   * Publish (every gateway node): {recorder, behind, buffer_percent}, a recorder's flow control
   * ({@link io.luthien.shared.payloads.RecorderPressure}). A recorder whose buffer fills faster
   * than PostgreSQL takes it says {@code behind: true} (again every second while it is), and
   * gateways hold new calls until it says {@code behind: false}, so that load slows instead of
   * events being dropped.
   */
  public static final String RECORDER_PRESSURE = "recorder.pressure";

  /**
   * Request/reply, any recorder node: {call_id} → {api, request, response}, the final request and
   * response of a recorded call as its client saw them (the {@code final} of its {@code request}
   * and {@code response} events; {@code api} the client's API). Fails with {@link
   * FailureCodes#NOT_RECORDED} when the call has no recorded answer (not yet written, unknown, or
   * failed). What the Responses API's {@code previous_response_id} is rebuilt from.
   */
  public static final String RECORDED_EXCHANGE = "recorder.exchange";

  /**
   * Send (point-to-point, any recorder node, fire-and-forget): {call_id, event_type, timestamp,
   * data}, a small live event (previews, never whole payloads); {@code data.model} is always there,
   * {@code data.session_id} when the call belongs to an agent session. The recorder relays it to
   * the activity feed: Redis channel {@link #ACTIVITY_REDIS_CHANNEL}, or {@link #ACTIVITY_FEED}
   * without Redis ({@link io.luthien.shared.payloads.ActivityEvent}).
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
   * The node-local twin of a shared request/reply address, served by a consumer in this JVM: a
   * sender tries it first and falls back to the shared address when nobody here answers.
   */
  public static String local(String address) {
    return address + "@local";
  }

  /**
   * The node-local twin of {@link #POLICY_REQUEST} served by the policy instance running on event
   * loop {@code eventLoop}. Same contract as the shared address; a gateway tries it first so that,
   * when gateway and policy share a JVM, a call stays on one thread.
   */
  public static String colocated(String address, String eventLoop) {
    return address + "@" + eventLoop;
  }

  /**
   * Request/reply, any gateway node: {api, request, candidate?, recorded_response?, call_id?} →
   * {call_id, request, response?, events}, a call run through a candidate policy without activating
   * it.
   */
  public static final String POLICY_TRIAL = "gateway.policy.trial";
}
