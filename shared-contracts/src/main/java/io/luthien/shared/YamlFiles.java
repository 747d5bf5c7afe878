package io.luthien.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML configuration files (routes, policy) into JSON objects, without blocking an event
 * loop.
 */
public final class YamlFiles {

  private YamlFiles() {}

  public static Future<JsonObject> read(Vertx vertx, String path) {
    return vertx.fileSystem().readFile(path).map(buffer -> parse(buffer.toString(), path));
  }

  /**
   * Parses one YAML document whose top level is a mapping; anything else is refused with the file's
   * name.
   */
  public static JsonObject parse(String text, String origin) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(origin + " is not valid YAML: " + e.getMessage(), e);
    }
    if (document == null) {
      return new JsonObject();
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(origin + " must hold a YAML mapping at the top level");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) map;
    return new JsonObject(fields);
  }
}
