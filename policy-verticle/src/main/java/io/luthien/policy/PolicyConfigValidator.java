package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.luthien.policy.library.MultiSerialPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.SchemaException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a candidate policy, {@code {class, config}} as a policy file's {@code policy} section,
 * before anything is activated: the class must be one the catalog resolves, its config must match
 * the class's {@code config_schema} (for a chain, each member's config its own), and then the
 * policy is built, so the constructor's own checks (a regex that compiles, a known placeholder) run
 * too. A refusal is an {@link IllegalArgumentException} naming the section, the class and the key:
 * {@code policy.config.policies[1]: StringReplacementPolicy: config key 'apply_to' must be one of
 * request | response | both, got 'x'}.
 */
final class PolicyConfigValidator {

  private static final String WHERE = "policy";

  private final PolicyCatalog catalog;
  private final PolicyFactory factory;
  private final Map<Class<? extends Policy>, ConfigSchema> schemas = new ConcurrentHashMap<>();

  PolicyConfigValidator(PolicyCatalog catalog, PolicyFactory factory) {
    this.catalog = catalog;
    this.factory = factory;
  }

  /** The candidate's policy, built and not started; or the refusal. */
  Policy validate(JsonObject candidate) {
    check(candidate, WHERE);
    return factory.build(candidate, WHERE);
  }

  private void check(JsonObject section, String where) {
    PolicyFactory.Section read = PolicyFactory.Section.read(section, where);
    Class<? extends Policy> type = catalog.resolve(read.reference(), where);
    JsonObject config = withoutNulls(read.config());
    Optional<String> error;
    try {
      error = schemas.computeIfAbsent(type, PolicyConfigValidator::schemaOf).firstError(config);
    } catch (SchemaException e) {
      throw new IllegalArgumentException(
          where + ": " + type.getSimpleName() + "'s config_schema cannot be used: " + e, e);
    }
    if (error.isPresent()) {
      throw new IllegalArgumentException(where + ": " + type.getSimpleName() + ": " + error.get());
    }
    if (type == MultiSerialPolicy.class
        && config.getValue("policies") instanceof JsonArray members) {
      for (int i = 0; i < members.size(); i++) {
        check(members.getJsonObject(i), where + ".config.policies[" + i + "]");
      }
    }
  }

  private static ConfigSchema schemaOf(Class<? extends Policy> type) {
    return new ConfigSchema(PolicyMetadata.of(type).configSchema());
  }

  /** A key set to null is a key left out, as {@code PolicyConfig} reads it. */
  private static JsonObject withoutNulls(JsonObject config) {
    JsonObject given = new JsonObject();
    config.forEach(
        entry -> {
          if (entry.getValue() != null) {
            given.put(entry.getKey(), entry.getValue());
          }
        });
    return given;
  }
}
