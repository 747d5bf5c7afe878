package io.luthien.policy;

import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;

/** The policy node's configuration, with every default in one place. */
record PolicySettings(String configPath, long reloadIntervalMillis, long streamIdleMillis) {

  static PolicySettings from(JsonObject config) {
    Settings settings = new Settings(config);
    return new PolicySettings(
        settings.string("POLICY_CONFIG", null),
        settings.longValue("POLICY_RELOAD_INTERVAL_MS", 2_000),
        settings.longValue("POLICY_STREAM_IDLE_MS", 300_000));
  }
}
