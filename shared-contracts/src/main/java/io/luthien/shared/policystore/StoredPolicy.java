package io.luthien.shared.policystore;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One row of {@code policy_config}: a policy set at run time, active or part of the history.
 *
 * @param classRef the policy class as the admin named it (a chain is {@code MultiSerialPolicy} with
 *     {@code policies} in its config)
 * @param previousId the change this one replaced; null for the first
 */
public record StoredPolicy(
    long id,
    String classRef,
    JsonObject config,
    Instant enabledAt,
    String enabledBy,
    boolean active,
    Long previousId) {

  static StoredPolicy of(Row row) {
    OffsetDateTime enabledAt = row.getOffsetDateTime("enabled_at");
    Object config = row.getValue("config");
    return new StoredPolicy(
        row.getLong("id"),
        row.getString("policy_class_ref"),
        config instanceof JsonObject object ? object : new JsonObject(),
        enabledAt.toInstant(),
        row.getString("enabled_by"),
        row.getBoolean("is_active"),
        row.getLong("previous_id"));
  }

  /** The policy section a policy node builds it from: {@code {class, config}}. */
  public JsonObject section() {
    return new JsonObject().put("class", classRef).put("config", config.copy());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("policy_class_ref", classRef)
        .put("config", config.copy())
        .put("enabled_at", enabledAt.toString())
        .put("enabled_by", enabledBy)
        .put("is_active", active)
        .put("previous_id", previousId);
  }

  public static StoredPolicy fromJson(JsonObject json) {
    return new StoredPolicy(
        json.getLong("id"),
        json.getString("policy_class_ref"),
        json.getJsonObject("config", new JsonObject()),
        Instant.parse(json.getString("enabled_at")),
        json.getString("enabled_by"),
        json.getBoolean("is_active", false),
        json.getLong("previous_id"));
  }
}
