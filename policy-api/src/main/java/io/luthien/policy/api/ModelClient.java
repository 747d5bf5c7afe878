package io.luthien.policy.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A model call made by a policy (a judge): it goes over the event bus to a gateway node, which
 * sends it through its own routes and providers, so provider keys never leave the gateway; it is
 * traced, metered and recorded as a child of the call. No policy runs on it.
 */
public interface ModelClient {

  /**
   * Sends a canonical chat-completions request (never streamed) and completes with the canonical
   * answer; fails once {@code options} give up.
   */
  Future<JsonObject> complete(JsonObject request, Options options);

  /**
   * How a model call is attempted.
   *
   * @param timeout for each attempt
   * @param maxRetries attempts after the first, on a timeout, a 429, a 5xx or an unreachable node
   * @param retryDelay between attempts
   */
  record Options(Duration timeout, int maxRetries, Duration retryDelay) {

    public Options {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("a model call needs a positive timeout");
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException("max_retries must be 0 or more, got " + maxRetries);
      }
      retryDelay = retryDelay == null ? Duration.ZERO : retryDelay;
    }

    public static Options of(Duration timeout) {
      return new Options(timeout, 0, Duration.ZERO);
    }

    /** The longest the whole call may take, every attempt and delay included. */
    public Duration budget() {
      return timeout.multipliedBy(maxRetries + 1L).plus(retryDelay.multipliedBy(maxRetries));
    }
  }
}
