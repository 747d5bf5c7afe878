package io.luthien.gateway.translate;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A JSON schema as Anthropic's structured outputs take it, after the Anthropic SDK's own {@code
 * transformJSONSchema}: every object closed ({@code additionalProperties: false}), {@code oneOf} as
 * {@code anyOf}, {@code $schema} dropped, and the constraints Anthropic does not support ({@code
 * minLength}, {@code maximum}, {@code pattern}, other string formats, {@code minItems} above 1 …)
 * moved into the description, where the model still reads them, instead of a 400. An OpenAI
 * client's schema needs this; an Anthropic client's is sent as it wrote it.
 */
final class AnthropicSchemas {

  private static final Set<String> STRING_FORMATS =
      Set.of(
          "date-time",
          "time",
          "date",
          "duration",
          "email",
          "hostname",
          "uri",
          "ipv4",
          "ipv6",
          "uuid");

  private AnthropicSchemas() {}

  static JsonObject forAnthropic(JsonObject schema) {
    return transform(schema.copy());
  }

  private static Object transformAny(Object schema) {
    return schema instanceof JsonObject object ? transform(object) : schema;
  }

  /** Takes what it understands out of {@code in} (a copy), and describes what is left. */
  private static JsonObject transform(JsonObject in) {
    JsonObject out = new JsonObject();
    for (String defsKey : new String[] {"$defs", "definitions"}) {
      if (in.remove(defsKey) instanceof JsonObject defs) {
        JsonObject strict = new JsonObject();
        defs.forEach(entry -> strict.put(entry.getKey(), transformAny(entry.getValue())));
        out.put(defsKey, strict);
      }
    }
    if (in.containsKey("$ref")) {
      out.put("$ref", in.remove("$ref"));
      if (in.containsKey("description")) {
        out.put("description", in.getValue("description"));
      }
      return out;
    }
    if (in.getValue("enum") instanceof JsonArray values
        && !values.isEmpty()
        && values.stream().allMatch(AnthropicSchemas::primitive)) {
      out.put("enum", in.remove("enum"));
    }
    if (in.containsKey("const") && primitive(in.getValue("const"))) {
      out.put("const", in.remove("const"));
    }
    boolean literals = out.containsKey("enum") || out.containsKey("const");
    Object type = in.remove("type");
    Object anyOf = in.remove("anyOf");
    Object oneOf = in.remove("oneOf");
    Object allOf = in.remove("allOf");
    in.remove("$schema");
    if (anyOf instanceof JsonArray variants) {
      out.put("anyOf", transformAll(variants));
    } else if (oneOf instanceof JsonArray variants) {
      out.put("anyOf", transformAll(variants));
    } else if (allOf instanceof JsonArray entries) {
      out.put("allOf", transformAll(entries));
    } else if (!literals && type != null) {
      out.put("type", type);
    }
    moveIfPresent(in, out, "description");
    moveIfPresent(in, out, "title");
    if (!literals && "object".equals(type)) {
      JsonObject properties = new JsonObject();
      if (in.remove("properties") instanceof JsonObject declared) {
        declared.forEach(entry -> properties.put(entry.getKey(), transformAny(entry.getValue())));
      }
      out.put("properties", properties);
      in.remove("additionalProperties");
      out.put("additionalProperties", false);
      moveIfPresent(in, out, "required");
    } else if (!literals && "string".equals(type)) {
      if (in.getValue("format") instanceof String format && STRING_FORMATS.contains(format)) {
        out.put("format", in.remove("format"));
      }
    } else if (!literals && "array".equals(type)) {
      if (in.containsKey("items")) {
        out.put("items", transformAny(in.remove("items")));
      }
      if (in.getValue("minItems") instanceof Number min
          && (min.longValue() == 0 || min.longValue() == 1)) {
        out.put("minItems", in.remove("minItems"));
      }
    }
    if (!in.isEmpty()) {
      String rest =
          in.stream()
              .map(entry -> entry.getKey() + ": " + Json.encode(entry.getValue()))
              .collect(Collectors.joining(", ", "{", "}"));
      String description = out.getString("description");
      out.put("description", description == null ? rest : description + "\n\n" + rest);
    }
    return out;
  }

  private static JsonArray transformAll(JsonArray schemas) {
    JsonArray out = new JsonArray();
    schemas.forEach(schema -> out.add(transformAny(schema)));
    return out;
  }

  private static void moveIfPresent(JsonObject in, JsonObject out, String key) {
    if (in.containsKey(key)) {
      out.put(key, in.remove(key));
    }
  }

  private static boolean primitive(Object value) {
    return !(value instanceof JsonObject || value instanceof JsonArray || value instanceof Map);
  }
}
