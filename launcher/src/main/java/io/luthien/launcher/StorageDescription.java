package io.luthien.launcher;

import io.luthien.shared.DatabaseSettings;
import io.luthien.shared.Settings;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Where a node stores calls and how its live activity travels, as the banner says it: never with a
 * password.
 */
final class StorageDescription {

  private StorageDescription() {}

  static String calls(JsonObject config, Optional<EmbeddedDatabase> embedded) {
    return embedded
        .map(
            database ->
                "embedded PostgreSQL on "
                    + EmbeddedDatabase.HOST
                    + ":"
                    + database.port()
                    + ", data in "
                    + database.directory()
                    + " (LUTHIEN_DATA_DIR)")
        .orElseGet(
            () ->
                "PostgreSQL "
                    + DatabaseSettings.from(new Settings(config)).describe()
                    + " ("
                    + DatabaseSettings.DATABASE_URL
                    + ")");
  }

  static String activityFeed(JsonObject config) {
    String redis = new Settings(config).string("REDIS_URL", null);
    return redis == null
        ? "over the event bus (REDIS_URL not set)"
        : "Redis " + withoutCredentials(redis) + " (REDIS_URL)";
  }

  /** {@code redis://user:secret@host:6379/0} → {@code redis://host:6379/0}. */
  static String withoutCredentials(String url) {
    return url.replaceFirst("//[^/@]*@", "//");
  }
}
