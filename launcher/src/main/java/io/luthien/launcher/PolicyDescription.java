package io.luthien.launcher;

import io.luthien.policy.library.NoOpPolicy;
import io.luthien.shared.Addresses;
import io.luthien.shared.Settings;
import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The policy a node runs and where it came from, as the banner says it: a policy stored through the
 * admin API as the policy verticle reports it, else the file {@code POLICY_CONFIG} as the policy
 * verticle read it a moment before (the policy itself is not built a second time).
 */
final class PolicyDescription {

  static final String VARIABLE = "POLICY_CONFIG";

  private static final long STORED_POLICY_TIMEOUT_MS = 2_000;

  private PolicyDescription() {}

  /**
   * A policy set through the admin API, as the node's policy verticle serves it; else the file's,
   * as before.
   */
  static Future<String> of(Vertx vertx, JsonObject config) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.POLICY_CURRENT,
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(STORED_POLICY_TIMEOUT_MS))
        .map(Message::body)
        .transform(
            asked ->
                asked.succeeded() && "database".equals(asked.result().getString("source"))
                    ? Future.succeededFuture(stored(asked.result()))
                    : fromFile(vertx, config));
  }

  private static String stored(JsonObject current) {
    return current.getString("class_ref")
        + " (set by "
        + current.getString("enabled_by")
        + " at "
        + current.getString("enabled_at")
        + ", stored as policy_config #"
        + current.getValue("id")
        + ")";
  }

  private static Future<String> fromFile(Vertx vertx, JsonObject config) {
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
