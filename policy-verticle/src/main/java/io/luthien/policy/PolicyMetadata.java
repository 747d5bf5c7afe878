package io.luthien.policy;

import io.luthien.policy.api.Policy;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a policy class says about itself in {@code <SimpleName>.policy.json} beside it (in its
 * package, in its jar): a description, a category, its config as a JSON Schema and an example
 * config. A class without the file, or with one that cannot be read, is described by nothing: an
 * empty description and category, a schema that takes any mapping, an empty example.
 */
record PolicyMetadata(
    String description, String category, JsonObject configSchema, JsonObject exampleConfig) {

  private static final Logger log = LoggerFactory.getLogger(PolicyMetadata.class);

  static final String SUFFIX = ".policy.json";

  static PolicyMetadata of(Class<? extends Policy> type) {
    URL resource = type.getResource(type.getSimpleName() + SUFFIX);
    if (resource == null) {
      return none();
    }
    try (InputStream in = resource.openStream()) {
      JsonObject json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new PolicyMetadata(
          json.getString("description", ""),
          json.getString("category", ""),
          json.getJsonObject("config_schema", anyMapping()),
          json.getJsonObject("example_config", new JsonObject()));
    } catch (IOException | DecodeException | ClassCastException e) {
      log.warn(
          "{} cannot be read; {} is listed without it: {}", resource, type.getName(), e.toString());
      return none();
    }
  }

  private static PolicyMetadata none() {
    return new PolicyMetadata("", "", anyMapping(), new JsonObject());
  }

  private static JsonObject anyMapping() {
    return new JsonObject().put("type", "object");
  }
}
