package io.luthien.shared;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Typed reads of a verticle's configuration, whose keys are the environment variable names (the
 * launcher copies the environment into every verticle's config). Bad values are refused at start
 * with the key's name.
 */
public final class Settings {

  private final JsonObject config;

  public Settings(JsonObject config) {
    this.config = config == null ? new JsonObject() : config;
  }

  public String string(String key, String fallback) {
    Object value = config.getValue(key);
    if (value == null || value.toString().isBlank()) {
      return fallback;
    }
    return value.toString().trim();
  }

  public int integer(String key, int fallback) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  public java.util.OptionalInt optionalInteger(String key) {
    return string(key, null) == null
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(integer(key, 0));
  }

  public long longValue(String key, long fallback) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  public boolean bool(String key, boolean fallback) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    };
  }
}
