package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.Translations.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.canonical.Canonical;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Structured output across formats: Anthropic's {@code output_config.format} ↔ OpenAI's {@code
 * response_format}, in the shapes the AI SDK's {@code generateObject} sends them.
 */
class StructuredOutputTranslationTest {

  /** What {@code @ai-sdk/anthropic} sends for {@code generateObject} with a zod object. */
  static final String ANTHROPIC_WITH_SCHEMA =
      """
      {"model": "claude-sonnet-4-5", "max_tokens": 1024,
       "messages": [{"role": "user", "content": "A recipe for lasagna."}],
       "output_config": {"effort": "low",
         "format": {"type": "json_schema",
           "schema": {"type": "object",
                      "properties": {"name": {"type": "string"},
                                     "steps": {"type": "array", "items": {"type": "string"}}},
                      "required": ["name", "steps"], "additionalProperties": false}}}}""";

  /** What {@code @ai-sdk/openai} sends for {@code generateObject} (chat completions). */
  static final String OPENAI_WITH_SCHEMA =
      """
      {"model": "claude-sonnet-4-5",
       "messages": [{"role": "user", "content": "A recipe for lasagna."}],
       "response_format": {"type": "json_schema",
         "json_schema": {"name": "response", "strict": true,
           "schema": {"type": "object", "properties": {"name": {"type": "string"}},
                      "required": ["name"], "additionalProperties": false,
                      "$schema": "http://json-schema.org/draft-07/schema#"}}}}""";

  @Test
  @DisplayName(
      "an Anthropic client's output_config.format reaches an OpenAI backend as response_format"
          + " json_schema, strict, named")
  void anthropicToOpenAi() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(ANTHROPIC_WITH_SCHEMA));
    JsonObject openAi = OpenAiRequests.forOpenAiBackend(canonical);

    JsonObject format = openAi.getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    JsonObject jsonSchema = format.getJsonObject("json_schema");
    assertThat(jsonSchema.getString("name")).isEqualTo("response");
    assertThat(jsonSchema.getBoolean("strict")).isTrue();
    assertThat(jsonSchema.getJsonObject("schema"))
        .isEqualTo(
            json(ANTHROPIC_WITH_SCHEMA)
                .getJsonObject("output_config")
                .getJsonObject("format")
                .getJsonObject("schema"));
    assertThat(openAi.containsKey("output_config")).isFalse();
    assertThat(Translations.extensions(openAi)).isEmpty();
  }

  @Test
  @DisplayName(
      "an Anthropic request with output_config goes back to an Anthropic backend as it came,"
          + " effort included")
  void anthropicRoundTrip() {
    JsonObject request = json(ANTHROPIC_WITH_SCHEMA);

    JsonObject back = AnthropicRequests.fromCanonical(AnthropicRequests.toCanonical(request));

    assertThat(back.getJsonObject("output_config"))
        .isEqualTo(request.getJsonObject("output_config"));
    assertThat(back.containsKey("response_format")).isFalse();
  }

  @Test
  @DisplayName("output_config without a format stays Anthropic's: no response_format for OpenAI")
  void effortOnly() {
    JsonObject request =
        json(ANTHROPIC_WITH_SCHEMA).put("output_config", new JsonObject().put("effort", "high"));

    JsonObject canonical = AnthropicRequests.toCanonical(request);

    assertThat(canonical.containsKey("response_format")).isFalse();
    assertThat(canonical.getJsonObject(Canonical.EXTRA).getJsonObject("output_config"))
        .isEqualTo(new JsonObject().put("effort", "high"));
    assertThat(AnthropicRequests.fromCanonical(canonical).getJsonObject("output_config"))
        .isEqualTo(new JsonObject().put("effort", "high"));
  }

  @Test
  @DisplayName(
      "an OpenAI client's response_format json_schema reaches an Anthropic backend as"
          + " output_config.format with the same schema")
  void openAiToAnthropic() {
    JsonObject request = json(OPENAI_WITH_SCHEMA);

    JsonObject anthropic = AnthropicRequests.fromCanonical(request);

    assertThat(anthropic.getJsonObject("output_config"))
        .isEqualTo(
            json(
                """
                {"format": {"type": "json_schema",
                  "schema": {"type": "object", "properties": {"name": {"type": "string"}},
                             "required": ["name"], "additionalProperties": false}}}"""));
    assertThat(anthropic.containsKey("response_format")).isFalse();
  }

  @Test
  @DisplayName(
      "an OpenAI client's schema is made one Anthropic takes, as the Anthropic SDK does: objects"
          + " closed, oneOf as anyOf, unsupported constraints moved into the description")
  void schemaForAnthropic() {
    JsonObject schema =
        json(
            """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {
               "name": {"type": "string", "minLength": 1, "description": "the dish"},
               "when": {"type": "string", "format": "date"},
               "code": {"type": "string", "format": "iso-4217"},
               "servings": {"type": "integer", "minimum": 1, "maximum": 12},
               "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
               "origin": {"type": "object", "properties": {"country": {"type": "string"}}},
               "spice": {"oneOf": [{"type": "string"}, {"type": "null"}]},
               "kind": {"type": "string", "enum": ["main", "side"]}},
             "required": ["name"]}""");

    assertThat(AnthropicSchemas.forAnthropic(schema))
        .isEqualTo(
            json(
                """
                {"type": "object", "additionalProperties": false, "required": ["name"],
                 "properties": {
                   "name": {"type": "string", "description": "the dish\\n\\n{minLength: 1}"},
                   "when": {"type": "string", "format": "date"},
                   "code": {"type": "string", "description": "{format: \\\"iso-4217\\\"}"},
                   "servings": {"type": "integer", "description": "{minimum: 1, maximum: 12}"},
                   "tags": {"type": "array", "items": {"type": "string"}, "description": "{minItems: 2}"},
                   "origin": {"type": "object", "properties": {"country": {"type": "string"}},
                              "additionalProperties": false},
                   "spice": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                   "kind": {"enum": ["main", "side"]}}}"""));
    assertThat(schema.getString("$schema")).as("the policy's request is not changed").isNotNull();
  }

  @Test
  @DisplayName(
      "a response_format a policy changed replaces the Anthropic client's format; one it removed"
          + " takes the format away")
  void policyChangedFormat() {
    JsonObject canonical = AnthropicRequests.toCanonical(json(ANTHROPIC_WITH_SCHEMA));
    JsonObject changed = canonical.copy();
    changed
        .getJsonObject("response_format")
        .getJsonObject("json_schema")
        .put("schema", json("{\"type\": \"string\", \"maxLength\": 5}"));
    JsonObject removed = canonical.copy();
    removed.remove("response_format");

    assertThat(AnthropicRequests.fromCanonical(changed).getJsonObject("output_config"))
        .isEqualTo(
            json(
                """
                {"effort": "low", "format": {"type": "json_schema",
                  "schema": {"type": "string", "description": "{maxLength: 5}"}}}"""));
    assertThat(AnthropicRequests.fromCanonical(removed).getJsonObject("output_config"))
        .isEqualTo(json("{\"effort\": \"low\"}"));
  }

  @Test
  @DisplayName(
      "json_object and text have no Anthropic form (Anthropic needs a schema): no output_config")
  void jsonObjectMode() {
    for (String type : new String[] {"json_object", "text"}) {
      JsonObject request =
          json(OPENAI_WITH_SCHEMA).put("response_format", new JsonObject().put("type", type));

      assertThat(AnthropicRequests.fromCanonical(request).containsKey("output_config"))
          .as(type)
          .isFalse();
    }
  }

  @Test
  @DisplayName(
      "a schema OpenAI's strict mode would refuse (an optional property, an open object) is sent"
          + " with strict false")
  void strictOnlyWhereOpenAiTakesIt() {
    assertThat(
            StructuredOutputs.strictCompatible(
                json(
                    """
                    {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "number"}},
                     "required": ["a"], "additionalProperties": false}""")))
        .isFalse();
    assertThat(
            StructuredOutputs.strictCompatible(
                json(
                    """
                    {"type": "object", "properties": {"a": {"type": "object",
                       "properties": {"x": {"type": "string"}}, "required": ["x"]}},
                     "required": ["a"], "additionalProperties": false}""")))
        .isFalse();
    assertThat(
            StructuredOutputs.strictCompatible(
                json(
                    """
                    {"type": "object", "properties": {"a": {"type": "array", "items":
                       {"type": "object", "properties": {"x": {"enum": ["p", "q"]}},
                        "required": ["x"], "additionalProperties": false}}},
                     "required": ["a"], "additionalProperties": false}""")))
        .isTrue();
  }
}
