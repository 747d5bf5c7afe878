package io.luthien.policy;

import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;

/** The policy node's configuration, with every default in one place. */
record PolicySettings(
    String configPath,
    String pluginsDir,
    long reloadIntervalMillis,
    long streamIdleMillis,
    long timeoutMillis) {

  static PolicySettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new PolicySettings(
        settings.string("POLICY_CONFIG", null),
        settings.string("POLICY_PLUGINS_DIR", null),
        settings.longValue("POLICY_RELOAD_INTERVAL_MS", 2_000),
        settings.longValue("POLICY_STREAM_IDLE_MS", 300_000),
        settings.longValue("POLICY_TIMEOUT_MS", 10_000));
  }
}
