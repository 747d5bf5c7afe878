package io.luthien.policy;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;

/**
 * The policy node's configuration, with every default in one place.
 *
 * @param database where stored policies are read; null without {@code DATABASE_URL} or with {@code
 *     POLICY_SOURCE=file}
 */
record PolicySettings(
    String configPath,
    String pluginsDir,
    PolicySourceMode source,
    DatabaseSettings database,
    long reloadIntervalMillis,
    long streamIdleMillis,
    long timeoutMillis) {

  static PolicySettings from(JsonObject config) {
    Settings settings = new Settings(config);
    PolicySourceMode source =
        PolicySourceMode.parse(settings.string("POLICY_SOURCE", "db-fallback-file"));
    boolean hasDatabase = settings.string(DatabaseSettings.DATABASE_URL, null) != null;
    if (source == PolicySourceMode.DB && !hasDatabase) {
      throw new IllegalArgumentException(
          "POLICY_SOURCE=db needs DATABASE_URL (the database that holds the stored policy)");
    }
    return new PolicySettings(
        settings.string("POLICY_CONFIG", null),
        settings.string("POLICY_PLUGINS_DIR", null),
        source,
        source != PolicySourceMode.FILE && hasDatabase ? DatabaseSettings.from(settings) : null,
        settings.longValue("POLICY_RELOAD_INTERVAL_MS", 2_000),
        settings.longValue("POLICY_STREAM_IDLE_MS", 300_000),
        settings.longValue("POLICY_TIMEOUT_MS", 10_000));
  }
}
