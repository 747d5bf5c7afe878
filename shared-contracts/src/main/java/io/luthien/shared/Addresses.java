package io.luthien.shared;

/** Every event-bus address the nodes agree on. No address literal lives anywhere else. */
public final class Addresses {

  /** Request/reply: {call_id, api, request} → {request, events} | {blocked: {status, message}, events}. */
  public static final String POLICY_REQUEST = "policy.request";

  /** Request/reply: {call_id, request, response} → {response, events}. */
  public static final String POLICY_RESPONSE = "policy.response";

  /**
   * Request/reply, any policy node: {call_id, request} → {session}. The reply names the node-local address
   * ({@link #POLICY_STREAM_SESSION_PREFIX} + instance id) that takes this call's chunk and close messages, so
   * every chunk of one stream reaches the policy instance that holds the stream's state.
   */
  public static final String POLICY_STREAM_OPEN = "policy.stream.open";

  /**
   * Prefix of the per-policy-instance session address. Request/reply, ordered by {@code seq}:
   * {kind: "chunk", call_id, seq, chunk} → {chunks, events}; {kind: "close", call_id, seq} → {chunks, events},
   * where close flushes what the policy buffered and ends the session.
   */
  public static final String POLICY_STREAM_SESSION_PREFIX = "policy.stream.session.";

  private Addresses() {
  }

  /**
   * The node-local twin of {@link #POLICY_REQUEST}, {@link #POLICY_RESPONSE} or {@link #POLICY_STREAM_OPEN}
   * served by the policy instance running on event loop {@code eventLoop}. Same contract as the shared address;
   * a gateway tries it first so that, when gateway and policy share a JVM, a call stays on one thread.
   */
  public static String colocated(String address, String eventLoop) {
    return address + "@" + eventLoop;
  }
}
