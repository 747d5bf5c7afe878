package io.luthien.policy;

import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy and the YAML file it came from. A changed file is loaded again; a broken one is
 * refused with a clear message and the last good policy stays active. Without a file the policy is
 * {@link NoOpPolicy}.
 */
final class PolicySource {

  private static final Logger log = LoggerFactory.getLogger(PolicySource.class);

  private final Vertx vertx;
  private final String path;
  private Policy current = new NoOpPolicy();
  private long loadedModifiedTime = -1;

  PolicySource(Vertx vertx, String path) {
    this.vertx = vertx;
    this.path = path;
  }

  Policy current() {
    return current;
  }

  /**
   * First load: a broken file fails the start, so a node never serves with a policy nobody chose.
   */
  Future<Void> load() {
    if (path == null) {
      log.debug("policy: {} (POLICY_CONFIG not set)", current.name());
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
                  current.name(),
                  error.getMessage());
              return Future.succeededFuture();
            })
        .mapEmpty();
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
                  .map(
                      document -> {
                        Policy policy = PolicyFactory.fromConfig(document, path);
                        boolean first = loadedModifiedTime < 0;
                        current = policy;
                        loadedModifiedTime = props.lastModifiedTime();
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
