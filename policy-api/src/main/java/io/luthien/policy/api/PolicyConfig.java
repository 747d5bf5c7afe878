package io.luthien.policy.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A policy's {@code config} mapping, read with types: a missing or wrongly typed key is refused
 * with an {@link IllegalArgumentException} naming the policy and the key, which the loader reports
 * (and, on a reload, keeps the last good policy).
 */
public final class PolicyConfig {

  private final String policy;
  private final JsonObject config;

  public PolicyConfig(String policy, JsonObject config) {
    this.policy = policy;
    this.config = config == null ? new JsonObject() : config;
  }

  public static PolicyConfig empty(String policy) {
    return new PolicyConfig(policy, new JsonObject());
  }

  /** The mapping as given. */
  public JsonObject json() {
    return config.copy();
  }

  public String policy() {
    return policy;
  }

  public boolean has(String key) {
    return config.getValue(key) != null;
  }

  /** Refuses keys not in {@code known}: a misspelt key must not be ignored silently. */
  public PolicyConfig allowOnly(String... known) {
    Set<String> allowed = Set.of(known);
    Set<String> unknown = new TreeSet<>(config.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw refused(
          String.join(", ", unknown),
          "is not a config key of this policy (known: "
              + String.join(", ", new TreeSet<>(allowed))
              + ")");
    }
    return this;
  }

  public String string(String key, String fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String text) {
      return text;
    }
    throw refused(key, "must be a string, got " + describe(value));
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw refused(key, "is required (a non-empty string)");
    }
    return value;
  }

  public boolean bool(String key, boolean fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    throw refused(key, "must be true or false, got " + describe(value));
  }

  public double number(String key, double fallback, double min, double max) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)) {
      throw refused(key, "must be a number, got " + describe(value));
    }
    double read = number.doubleValue();
    if (read < min || read > max || Double.isNaN(read)) {
      throw refused(key, "must be between " + min + " and " + max + ", got " + read);
    }
    return read;
  }

  public long integer(String key, long fallback, long min, long max) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)
        || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw refused(key, "must be a whole number, got " + describe(value));
    }
    long read = number.longValue();
    if (read < min || read > max) {
      throw refused(key, "must be between " + min + " and " + max + ", got " + read);
    }
    return read;
  }

  /** One of {@code allowed} (compared without case); the value is returned in lower case. */
  public String choice(String key, String fallback, String... allowed) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!List.of(allowed).contains(lower)) {
      throw refused(key, "must be one of " + String.join(" | ", allowed) + ", got '" + value + "'");
    }
    return lower;
  }

  public List<String> strings(String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw refused(key, "must be a list of strings, got " + describe(value));
    }
    List<String> read = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String text)) {
        throw refused(key + "[" + i + "]", "must be a string, got " + describe(array.getValue(i)));
      }
      read.add(text);
    }
    return List.copyOf(read);
  }

  /** A list of anything; each element is the caller's to check (with {@link #refused}). */
  public JsonArray list(String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return new JsonArray();
    }
    if (value instanceof JsonArray array) {
      return array.copy();
    }
    throw refused(key, "must be a list, got " + describe(value));
  }

  public JsonObject object(String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    throw refused(key, "must be a mapping, got " + describe(value));
  }

  /** The error a policy throws for a bad value of {@code key}. */
  public IllegalArgumentException refused(String key, String why) {
    return new IllegalArgumentException(policy + ": config key '" + key + "' " + why);
  }

  private static String describe(Object value) {
    if (value instanceof JsonArray) {
      return "a list";
    }
    if (value instanceof JsonObject) {
      return "a mapping";
    }
    if (value instanceof String text) {
      return "'" + text + "'";
    }
    return String.valueOf(value);
  }
}
