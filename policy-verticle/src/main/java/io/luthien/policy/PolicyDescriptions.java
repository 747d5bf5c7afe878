package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Every policy a policy file may name by its simple name (the shipped ones and the plugins'),
 * described for the admin API's list: {@code [{name, class_ref, description, category,
 * config_schema, example_config}]}, sorted by name, with luthien-proxy's field names. {@code
 * class_ref} is the full Java class name.
 */
final class PolicyDescriptions {

  private final PolicyCatalog catalog;

  PolicyDescriptions(PolicyCatalog catalog) {
    this.catalog = catalog;
  }

  JsonArray list() {
    JsonArray list = new JsonArray();
    for (Map.Entry<String, Class<? extends Policy>> policy : catalog.classes().entrySet()) {
      list.add(entry(policy.getKey(), policy.getValue()));
    }
    return list;
  }

  private static JsonObject entry(String name, Class<? extends Policy> type) {
    PolicyMetadata metadata = PolicyMetadata.of(type);
    return new JsonObject()
        .put("name", name)
        .put("class_ref", type.getName())
        .put("description", metadata.description())
        .put("category", metadata.category())
        .put("config_schema", metadata.configSchema())
        .put("example_config", metadata.exampleConfig());
  }
}
