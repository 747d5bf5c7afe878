package io.luthien.launcher;

import io.luthien.policy.library.NoOpPolicy;
import io.luthien.shared.Settings;
import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The policy a node runs and the file it came from, as the banner says it. Read from {@code
 * POLICY_CONFIG} as the policy verticle read it a moment before; the policy itself is not built a
 * second time.
 */
final class PolicyDescription {

  static final String VARIABLE = "POLICY_CONFIG";

  private PolicyDescription() {}

  static Future<String> of(Vertx vertx, JsonObject config) {
    String path = new Settings(config).string(VARIABLE, null);
    if (path == null) {
      return Future.succeededFuture(
          NoOpPolicy.class.getSimpleName() + " (" + VARIABLE + " not set)");
    }
    Path file = Path.of(path).toAbsolutePath().normalize();
    return YamlFiles.read(vertx, path)
        .map(document -> className(document) + " from " + file + " (" + VARIABLE + ")")
        .otherwise(
            failure -> file + " (" + VARIABLE + "), unreadable now: " + failure.getMessage());
  }

  private static String className(JsonObject document) {
    if (document.getValue("policy") instanceof JsonObject policy
        && policy.getValue("class") instanceof String name) {
      return name;
    }
    return "(no policy.class)";
  }
}
