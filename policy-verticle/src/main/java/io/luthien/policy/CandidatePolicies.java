package io.luthien.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The candidate policies that trial calls ({@code candidate} on a policy request) run on, never the
 * active policy: each built and started on first use, kept for the next trial of the same {@code
 * {class, config}} (keyed by its JSON encoding), and retired when unused for a while or pushed out
 * by newer ones. A retired candidate closes once its calls in flight are done. A candidate that
 * fails to build or start is not kept. Used on one event loop.
 */
final class CandidatePolicies {

  static final int DEFAULT_CAPACITY = 8;
  static final long DEFAULT_IDLE_MILLIS = 60_000;
  private static final String WHERE = "candidate";

  private final PolicyFactory factory;
  private final int capacity;
  private final long idleMillis;
  private final LongSupplier clock;
  private final Map<String, Candidate> byEncoding = new LinkedHashMap<>(16, 0.75f, true);

  CandidatePolicies(PolicyFactory factory, int capacity, long idleMillis, LongSupplier clock) {
    this.factory = factory;
    this.capacity = capacity;
    this.idleMillis = idleMillis;
    this.clock = clock;
  }

  /**
   * The started candidate {@code section} ({@code {class, config}}) names; fails with {@link
   * CandidateRefusedException} naming the class or key when it cannot be built or started.
   */
  Future<ActivePolicy> get(JsonObject section) {
    String key = section.encode();
    Candidate known = byEncoding.get(key);
    if (known != null) {
      known.lastUsed = clock.getAsLong();
      return known.ready;
    }
    Future<ActivePolicy> ready;
    try {
      ready =
          factory
              .start(factory.fromSection(section, WHERE), WHERE)
              .map(policy -> new ActivePolicy(policy, PolicyOrigin.candidate(section)));
    } catch (IllegalArgumentException refused) {
      return Future.failedFuture(new CandidateRefusedException(refused));
    }
    Candidate candidate = new Candidate(ready, clock.getAsLong());
    byEncoding.put(key, candidate);
    ready.onFailure(failed -> byEncoding.remove(key, candidate));
    evictBeyondCapacity();
    return ready.recover(failed -> Future.failedFuture(new CandidateRefusedException(failed)));
  }

  /** Retires the candidates unused for longer than the idle time; returns how many. */
  int retireIdle() {
    long now = clock.getAsLong();
    int retired = 0;
    for (Iterator<Candidate> kept = byEncoding.values().iterator(); kept.hasNext(); ) {
      Candidate candidate = kept.next();
      if (now - candidate.lastUsed > idleMillis) {
        kept.remove();
        candidate.retire();
        retired++;
      }
    }
    return retired;
  }

  /** The node stops: every candidate closes once its calls are gone. */
  void retireAll() {
    byEncoding.values().forEach(Candidate::retire);
    byEncoding.clear();
  }

  int size() {
    return byEncoding.size();
  }

  private void evictBeyondCapacity() {
    Iterator<Candidate> leastRecent = byEncoding.values().iterator();
    while (byEncoding.size() > capacity) {
      Candidate evicted = leastRecent.next();
      leastRecent.remove();
      evicted.retire();
    }
  }

  private static final class Candidate {
    private final Future<ActivePolicy> ready;
    private long lastUsed;

    private Candidate(Future<ActivePolicy> ready, long lastUsed) {
      this.ready = ready;
      this.lastUsed = lastUsed;
    }

    /** A candidate still starting is retired once it has started. */
    @SuppressWarnings(
        "VertxFutureReturnValueIgnored") // a failed start is reported to the trial that asked
    void retire() {
      ready.onSuccess(ActivePolicy::retire);
    }
  }

  /** The candidate names no policy class, or its config is refused, or it failed to start. */
  static final class CandidateRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CandidateRefusedException(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
