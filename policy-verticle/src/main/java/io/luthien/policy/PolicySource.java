package io.luthien.policy;

import io.luthien.policy.library.NoOpPolicy;
import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy and the YAML file it came from. A changed file is loaded again; a broken one is
 * refused with a clear message and the last good policy stays active. Without a file the policy is
 * {@link NoOpPolicy}. A new policy is started before it serves; the one it replaces is closed once
 * its calls are done.
 */
final class PolicySource {

  private static final Logger log = LoggerFactory.getLogger(PolicySource.class);

  private final Vertx vertx;
  private final String path;
  private final PolicyFactory factory;
  private ActivePolicy current = new ActivePolicy(new NoOpPolicy());
  private long loadedModifiedTime = -1;

  PolicySource(Vertx vertx, String path, PolicyFactory factory) {
    this.vertx = vertx;
    this.path = path;
    this.factory = factory;
  }

  ActivePolicy current() {
    return current;
  }

  /**
   * First load: a broken file fails the start, so a node never serves with a policy nobody chose.
   */
  Future<Void> load() {
    if (path == null) {
      log.debug("policy: {} (POLICY_CONFIG not set)", current.policy().name());
      return Future.succeededFuture();
    }
    return readIfChanged().mapEmpty();
  }

  /** Later loads: a failure is logged and the running policy is kept. */
  Future<Void> reloadIfChanged() {
    if (path == null) {
      return Future.succeededFuture();
    }
    return readIfChanged()
        .recover(
            error -> {
              log.error(
                  "policy config {} refused, keeping {}: {}",
                  path,
                  current.policy().name(),
                  error.getMessage());
              return Future.succeededFuture();
            })
        .mapEmpty();
  }

  /** The node stops: the policy closes once its calls are gone. */
  void stop() {
    current.retire();
  }

  private Future<Void> readIfChanged() {
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              if (props.lastModifiedTime() == loadedModifiedTime) {
                return Future.succeededFuture();
              }
              return YamlFiles.read(vertx, path)
                  .compose(document -> factory.start(factory.fromConfig(document, path), path))
                  .map(
                      policy -> {
                        boolean first = loadedModifiedTime < 0;
                        ActivePolicy replaced = current;
                        current = new ActivePolicy(policy);
                        loadedModifiedTime = props.lastModifiedTime();
                        replaced.retire();
                        // The node's start banner names the first policy; each policy instance
                        // would repeat it at INFO.
                        if (first) {
                          log.debug("policy: {} (loaded from {})", policy.name(), path);
                        } else {
                          log.info("policy: {} (reloaded from {})", policy.name(), path);
                        }
                        return null;
                      });
            });
  }
}
