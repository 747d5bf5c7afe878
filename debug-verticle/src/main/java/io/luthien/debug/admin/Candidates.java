package io.luthien.debug.admin;

import io.luthien.debug.api.ApiProblem;
import io.vertx.core.json.JsonObject;

/**
 * The candidate policy an admin request names: luthien-proxy's {@code policy_class_ref, config}.
 */
final class Candidates {

  private Candidates() {}

  /** {@code {class, config}}, or null when the request names none (the active policy then). */
  static JsonObject of(JsonObject body) {
    Object classRef = body.getValue("policy_class_ref");
    Object config = body.getValue("config");
    if (classRef == null) {
      if (config != null) {
        throw ApiProblem.badRequest("config needs policy_class_ref");
      }
      return null;
    }
    if (!(classRef instanceof String name) || name.isBlank()) {
      throw ApiProblem.badRequest("policy_class_ref must name a policy class");
    }
    if (config != null && !(config instanceof JsonObject)) {
      throw ApiProblem.badRequest("config must be a JSON object");
    }
    return new JsonObject()
        .put("class", name)
        .put("config", config == null ? new JsonObject() : (JsonObject) config);
  }
}
