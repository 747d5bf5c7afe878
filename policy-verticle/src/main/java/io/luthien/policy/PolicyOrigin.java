package io.luthien.policy;

import io.luthien.shared.policystore.StoredPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where the active policy came from, as {@code GET /api/admin/policy/current} reports it.
 *
 * @param source {@code file}, {@code database}, {@code default} (no policy configured) or {@code
 *     candidate} (tried, not active)
 * @param id the {@code policy_config} row, for a policy from the database
 * @param path the file, for a policy from a file
 */
record PolicyOrigin(
    String source,
    String classRef,
    JsonObject config,
    Instant enabledAt,
    String enabledBy,
    Long id,
    String path) {

  static final String FILE = "file";
  static final String DATABASE = "database";
  static final String DEFAULT = "default";
  static final String CANDIDATE = "candidate";

  static PolicyOrigin unconfigured(String className) {
    return new PolicyOrigin(DEFAULT, className, new JsonObject(), null, null, null, null);
  }

  static PolicyOrigin file(String path, JsonObject section, Instant modified) {
    Object config = section.getValue("config");
    return new PolicyOrigin(
        FILE,
        section.getString("class"),
        config instanceof JsonObject object ? object : new JsonObject(),
        modified,
        "file:" + path,
        null,
        path);
  }

  /** A policy tried out by a test chat or a replay, never active. */
  static PolicyOrigin candidate(JsonObject section) {
    return new PolicyOrigin(
        CANDIDATE,
        section.getString("class"),
        section.getJsonObject("config", new JsonObject()),
        null,
        null,
        null,
        null);
  }

  static PolicyOrigin database(StoredPolicy stored) {
    return new PolicyOrigin(
        DATABASE,
        stored.classRef(),
        stored.config(),
        stored.enabledAt(),
        stored.enabledBy(),
        stored.id(),
        null);
  }

  /** luthien-proxy's {@code /api/admin/policy/current} fields, plus where it came from. */
  JsonObject toJson(String policyName) {
    return new JsonObject()
        .put("policy", policyName)
        .put("class_ref", classRef)
        .put("config", config.copy())
        .put("enabled_at", enabledAt == null ? null : enabledAt.toString())
        .put("enabled_by", enabledBy)
        .put("source", source)
        .put("id", id)
        .put("path", path);
  }
}
