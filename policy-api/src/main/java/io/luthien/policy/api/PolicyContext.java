package io.luthien.policy.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One call, as a policy sees it: alive from the request hook to the end of the response or stream,
 * so what {@code onRequest} decided is there in {@code onResponse}, every chunk hook and {@code
 * onStreamEnd}. In a chain each policy has its own view: its state and its events are its own.
 */
public interface PolicyContext {

  /** The call id that every record, log line and span of this call carries. */
  String callId();

  /**
   * The client's API: {@code "openai"} (chat completions), {@code "openai_responses"} or {@code
   * "anthropic"}.
   */
  String api();

  /** The model the client asked for. */
  String model();

  /** The client's session (Claude Code's, Codex's, or an {@code x-session-id}); null if unknown. */
  String sessionId();

  /** The user the gateway knows the call by; null if unknown. */
  String userId();

  /** Whether the client asked for a stream. */
  boolean streaming();

  /**
   * The request: in the request hook, the one this policy was given; afterwards, the one that went
   * upstream.
   */
  JsonObject request();

  /**
   * This policy's state of {@code type} for this call, made by {@code initial} the first time it is
   * asked for.
   */
  <T> T state(Class<T> type, Supplier<? extends T> initial);

  /**
   * Records a policy event {@code policy.<type>} with the call: it is stored, shown on the live
   * feed and added to the call's policy span; it names the policy that emitted it.
   */
  void emit(String type, JsonObject data);

  /** The policy node's Vert.x, for timers and clients. */
  Vertx vertx();

  /**
   * The view of this call that a member of a composite policy (a chain) gets: its own state, its
   * events named after it. The same member always gets the same view.
   */
  PolicyContext forPolicy(Policy member);

  /** Calls a model through the gateway's routes and providers, as a child of this call. */
  ModelClient models();
}
