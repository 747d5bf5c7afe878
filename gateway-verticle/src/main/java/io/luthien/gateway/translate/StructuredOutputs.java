package io.luthien.gateway.translate;

import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Structured output, Anthropic ↔ canonical: Anthropic's {@code output_config: {format: {type:
 * "json_schema", schema}}} is OpenAI's {@code response_format: {type: "json_schema", json_schema:
 * {name, schema, strict}}}. The rest of {@code output_config} ({@code effort}) stays Anthropic's
 * and goes back to an Anthropic backend as it came, and so does the format while the policy leaves
 * the schema alone; a schema from an OpenAI client (or a policy) is made one Anthropic takes
 * ({@link AnthropicSchemas}). Anthropic has no JSON mode without a schema: OpenAI's {@code
 * json_object} (and {@code text}) has no Anthropic form and is not sent there, as the AI SDK's own
 * Anthropic provider does.
 */
final class StructuredOutputs {

  static final String OUTPUT_CONFIG = "output_config";
  private static final String RESPONSE_FORMAT = "response_format";
  private static final String JSON_SCHEMA = "json_schema";

  /** OpenAI requires a name; Anthropic has none. The AI SDK's default name. */
  static final String SCHEMA_NAME = "response";

  private StructuredOutputs() {}

  /**
   * Puts the canonical {@code response_format} for the Anthropic request's {@code
   * output_config.format}, and what else {@code output_config} holds into {@code extra}.
   */
  static void toCanonical(JsonObject request, JsonObject canonical, JsonObject extra) {
    if (!(request.getValue(OUTPUT_CONFIG) instanceof JsonObject config)) {
      if (request.containsKey(OUTPUT_CONFIG)) {
        extra.put(OUTPUT_CONFIG, JsonFields.copy(request.getValue(OUTPUT_CONFIG)));
      }
      return;
    }
    if (config.getValue("format") instanceof JsonObject format
        && JSON_SCHEMA.equals(format.getValue("type"))
        && format.getValue("schema") instanceof JsonObject schema
        && format.size() == 2) {
      canonical.put(
          RESPONSE_FORMAT,
          new JsonObject()
              .put("type", JSON_SCHEMA)
              .put(
                  JSON_SCHEMA,
                  new JsonObject()
                      .put("name", SCHEMA_NAME)
                      .put("schema", schema.copy())
                      .put("strict", strictCompatible(schema))));
    }
    // kept whole, so that an Anthropic backend gets the client's own format back unchanged
    extra.put(OUTPUT_CONFIG, config.copy());
  }

  /**
   * Puts the Anthropic {@code output_config} for the canonical request: the format from {@code
   * response_format}'s JSON schema, merged with the Anthropic-only fields kept in {@code extra}.
   */
  static void toAnthropic(JsonObject canonical, JsonObject extra, JsonObject out) {
    JsonObject config =
        extra != null && extra.getValue(OUTPUT_CONFIG) instanceof JsonObject kept
            ? kept.copy()
            : null;
    JsonObject schema = schemaOf(canonical.getValue(RESPONSE_FORMAT));
    JsonObject original = config == null ? null : schemaOf(config.getValue("format"));
    if (schema != null && !schema.equals(original)) {
      config = config == null ? new JsonObject() : config;
      config.put(
          "format",
          new JsonObject()
              .put("type", JSON_SCHEMA)
              .put("schema", AnthropicSchemas.forAnthropic(schema)));
    } else if (schema == null && original != null) {
      config.remove("format"); // a policy took the response format away
    }
    if (config != null && !(config.isEmpty() && original != null)) {
      out.put(OUTPUT_CONFIG, config);
    }
  }

  /**
   * The schema of an OpenAI {@code response_format} ({@code json_schema.schema}) or of an Anthropic
   * {@code output_config.format} ({@code schema}); null for anything else.
   */
  private static JsonObject schemaOf(Object format) {
    if (!(format instanceof JsonObject object) || !JSON_SCHEMA.equals(object.getValue("type"))) {
      return null;
    }
    if (object.getValue(JSON_SCHEMA) instanceof JsonObject jsonSchema
        && jsonSchema.getValue("schema") instanceof JsonObject schema) {
      return schema;
    }
    return object.getValue("schema") instanceof JsonObject schema ? schema : null;
  }

  /**
   * Whether OpenAI's strict mode takes the schema: every object closed ({@code
   * additionalProperties: false}) and all its properties required. Anthropic enforces any schema it
   * accepts, so strict is asked for wherever OpenAI can give it; elsewhere OpenAI follows the
   * schema without the guarantee rather than refusing the request.
   */
  static boolean strictCompatible(Object schema) {
    if (schema instanceof JsonArray items) {
      for (Object item : items) {
        if (!strictCompatible(item)) {
          return false;
        }
      }
      return true;
    }
    if (!(schema instanceof JsonObject object)) {
      return true;
    }
    if (object.getValue("properties") instanceof JsonObject properties) {
      if (!Boolean.FALSE.equals(object.getValue("additionalProperties"))) {
        return false;
      }
      Set<Object> required = new HashSet<>();
      if (object.getValue("required") instanceof JsonArray names) {
        names.forEach(required::add);
      }
      if (!required.containsAll(properties.fieldNames())) {
        return false;
      }
    }
    for (String key : object.fieldNames()) {
      if (!"enum".equals(key) && !"const".equals(key) && !strictCompatible(object.getValue(key))) {
        return false;
      }
    }
    return true;
  }
}
