package io.luthien.policy;

import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy of the YAML file {@code POLICY_CONFIG}: read again when its modification time changes,
 * built and started before it is handed over. A broken file fails the read.
 */
final class PolicyFile {

  private final Vertx vertx;
  private final String path;
  private final PolicyFactory factory;
  private long loadedModifiedTime = -1;

  PolicyFile(Vertx vertx, String path, PolicyFactory factory) {
    this.vertx = vertx;
    this.path = path;
    this.factory = factory;
  }

  String path() {
    return path;
  }

  /** The file's policy, started, when the file changed since the last read; else empty. */
  Future<Optional<ActivePolicy>> readIfChanged() {
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              if (props.lastModifiedTime() == loadedModifiedTime) {
                return Future.succeededFuture(Optional.empty());
              }
              return YamlFiles.read(vertx, path)
                  .compose(
                      document ->
                          factory
                              .start(factory.fromConfig(document, path), path)
                              .map(
                                  policy -> {
                                    loadedModifiedTime = props.lastModifiedTime();
                                    return Optional.of(
                                        new ActivePolicy(
                                            policy,
                                            PolicyOrigin.file(
                                                path,
                                                document.getJsonObject("policy"),
                                                Instant.ofEpochMilli(props.lastModifiedTime()))));
                                  }));
            });
  }
}
