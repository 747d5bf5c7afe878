package io.luthien.policy;

import io.luthien.policy.api.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded policy and the calls still running on it: a replaced policy is closed once its last call
 * ends, so calls in flight finish with the policy they started with. Used on one event loop.
 */
final class ActivePolicy {

  private static final Logger log = LoggerFactory.getLogger(ActivePolicy.class);

  private final Policy policy;
  private final PolicyOrigin origin;
  private int calls;
  private boolean retired;
  private boolean closed;

  ActivePolicy(Policy policy, PolicyOrigin origin) {
    this.policy = policy;
    this.origin = origin;
  }

  Policy policy() {
    return policy;
  }

  PolicyOrigin origin() {
    return origin;
  }

  /** A call starts on this policy; {@link #release} when it ends. */
  ActivePolicy acquire() {
    calls++;
    return this;
  }

  void release() {
    calls--;
    closeIfDone();
  }

  /** Replaced (or the node stops): closed now if idle, else when its last call ends. */
  void retire() {
    retired = true;
    closeIfDone();
  }

  private void closeIfDone() {
    if (!retired || calls > 0 || closed) {
      return;
    }
    closed = true;
    try {
      policy.close();
    } catch (RuntimeException e) {
      log.warn("policy {} failed to close: {}", policy.name(), e.toString());
    }
  }
}
