package io.luthien.policy;

import io.luthien.policy.library.NoOpPolicy;
import io.luthien.shared.policystore.PolicyStore;
import io.luthien.shared.policystore.StoredPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy and where it comes from ({@link PolicySourceMode}): the YAML file, re-read when
 * it changes, or the policy stored in the database by the admin API, switched to when a change is
 * published and, for a node that missed it, when the periodic check sees a newer one. A broken file
 * or stored policy is refused with a clear message and the last good policy stays active. Without
 * either the policy is {@link NoOpPolicy}. A new policy is started before it serves; the one it
 * replaces is closed once its calls are done. Used on one event loop.
 */
final class PolicySource {

  private static final Logger log = LoggerFactory.getLogger(PolicySource.class);

  private final PolicySourceMode mode;
  private final PolicyFile file;
  private final PolicyStore store;
  private final PolicyFactory factory;
  private ActivePolicy current =
      new ActivePolicy(new NoOpPolicy(), PolicyOrigin.unconfigured("NoOpPolicy"));
  private long storedId = -1;
  private long switchingTo = -1;
  private long refusedId = -1;
  private boolean storeUnreachable;

  /**
   * @param file null without {@code POLICY_CONFIG}
   * @param store null when the node does not read stored policies
   */
  PolicySource(PolicySourceMode mode, PolicyFile file, PolicyStore store, PolicyFactory factory) {
    this.mode = mode;
    this.file = mode == PolicySourceMode.DB ? null : file;
    this.store = store;
    this.factory = factory;
  }

  ActivePolicy current() {
    return current;
  }

  PolicySourceMode mode() {
    return store == null ? PolicySourceMode.FILE : mode;
  }

  /**
   * First load, before the node serves: a broken file or stored policy fails the start, so a node
   * never serves with a policy nobody chose. With {@code POLICY_SOURCE=db-fallback-file}, a
   * database that cannot be read means the file.
   */
  Future<Void> load() {
    if (store == null) {
      return loadFile();
    }
    return store
        .active()
        .transform(
            read -> {
              if (read.succeeded()) {
                Optional<StoredPolicy> stored = read.result();
                if (stored.isPresent()) {
                  return install(stored.get(), true);
                }
                return loadFile();
              }
              if (mode == PolicySourceMode.DB) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "POLICY_SOURCE=db: the stored policy cannot be read: "
                            + read.cause().getMessage(),
                        read.cause()));
              }
              storeUnreachable = true;
              log.warn(
                  "the stored policy cannot be read ({}); serving the file's until it can",
                  read.cause().getMessage());
              return loadFile();
            });
  }

  /** The periodic check: a newer stored policy, else a changed file. Failures keep the policy. */
  Future<Void> refresh() {
    if (store == null) {
      return reloadFile();
    }
    return store
        .active()
        .transform(
            read -> {
              if (read.failed()) {
                if (!storeUnreachable) {
                  storeUnreachable = true;
                  log.warn(
                      "the stored policy cannot be read, keeping {}: {}",
                      current.policy().name(),
                      read.cause().getMessage());
                }
                return fromDatabase() ? Future.succeededFuture() : reloadFile();
              }
              if (storeUnreachable) {
                storeUnreachable = false;
                log.info("the stored policy can be read again");
              }
              Optional<StoredPolicy> stored = read.result();
              if (stored.isPresent()) {
                return switchTo(stored.get());
              }
              return fromDatabase() ? Future.succeededFuture() : reloadFile();
            });
  }

  /** A change published by the admin API. */
  Future<Void> changed(StoredPolicy stored) {
    return store == null ? Future.succeededFuture() : switchTo(stored);
  }

  /** The node stops: the policy closes once its calls are gone. */
  void stop() {
    current.retire();
  }

  private boolean fromDatabase() {
    return storedId >= 0;
  }

  private Future<Void> switchTo(StoredPolicy stored) {
    if (!stored.active()
        || stored.id() <= storedId
        || stored.id() == switchingTo
        || stored.id() == refusedId) {
      return Future.succeededFuture();
    }
    switchingTo = stored.id();
    return install(stored, false)
        .recover(
            failure -> {
              refusedId = stored.id();
              log.error(
                  "stored policy #{} refused, keeping {}: {}",
                  stored.id(),
                  current.policy().name(),
                  failure.getMessage());
              return Future.succeededFuture();
            })
        .onComplete(done -> switchingTo = -1);
  }

  /** {@code atStart}: the node's start banner names it, so it is not logged at INFO too. */
  private Future<Void> install(StoredPolicy stored, boolean atStart) {
    String origin = "policy_config #" + stored.id();
    JsonObject document = new JsonObject().put("policy", stored.section());
    Future<io.luthien.policy.api.Policy> started;
    try {
      started = factory.start(factory.fromConfig(document, origin), origin);
    } catch (IllegalArgumentException invalid) {
      started = Future.failedFuture(invalid);
    }
    return started.map(
        policy -> {
          // a slower switch to an older change must not win over a newer one
          if (stored.id() <= storedId) {
            new ActivePolicy(policy, PolicyOrigin.database(stored)).retire();
            return null;
          }
          storedId = stored.id();
          replace(new ActivePolicy(policy, PolicyOrigin.database(stored)));
          String line = "policy: {} (set by {}, policy_config #{})";
          if (atStart) {
            log.debug(line, policy.name(), stored.enabledBy(), stored.id());
          } else {
            log.info(line, policy.name(), stored.enabledBy(), stored.id());
          }
          return null;
        });
  }

  private Future<Void> loadFile() {
    if (file == null) {
      log.debug("policy: {} (no policy configured)", current.policy().name());
      return Future.succeededFuture();
    }
    return file.readIfChanged()
        .map(
            read -> {
              read.ifPresent(
                  policy -> {
                    replace(policy);
                    // The node's start banner names the first policy.
                    log.debug("policy: {} (loaded from {})", policy.policy().name(), file.path());
                  });
              return null;
            });
  }

  private Future<Void> reloadFile() {
    if (file == null) {
      return Future.succeededFuture();
    }
    return file.readIfChanged()
        .map(
            read -> {
              read.ifPresent(
                  policy -> {
                    replace(policy);
                    log.info("policy: {} (reloaded from {})", policy.policy().name(), file.path());
                  });
              return (Void) null;
            })
        .recover(
            error -> {
              log.error(
                  "policy config {} refused, keeping {}: {}",
                  file.path(),
                  current.policy().name(),
                  error.getMessage());
              return Future.succeededFuture();
            });
  }

  private void replace(ActivePolicy next) {
    ActivePolicy replaced = current;
    current = next;
    replaced.retire();
  }
}
