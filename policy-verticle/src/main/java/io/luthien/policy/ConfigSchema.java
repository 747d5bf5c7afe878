package io.luthien.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A policy's {@code config_schema} (JSON Schema draft 2020-12), compiled once, that says what is
 * first wrong with a config in the words of {@code PolicyConfig}'s refusals: {@code config key
 * 'apply_to' must be one of request | response | both, got 'x'}.
 */
final class ConfigSchema {

  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("https://luthien.invalid/policy-config/")
          .setOutputFormat(OutputFormat.Basic);

  /** How the schemas say "a string that is not blank". */
  private static final String NOT_BLANK = "\\S";

  /** Keywords whose error only says that a keyword below them failed. */
  private static final Set<String> WRAPPERS =
      Set.of("properties", "patternProperties", "items", "prefixItems", "contains", "allOf");

  /** Kept apart from the copy the library compiles, which it annotates. */
  private final JsonObject schema;

  private final Validator validator;

  ConfigSchema(JsonObject schema) {
    this.schema = schema.copy();
    this.validator = Validator.create(JsonSchema.of(schema.copy()), OPTIONS);
  }

  /**
   * What is first wrong with {@code config}, as {@code config key '<path>' <why>}; empty if none.
   */
  Optional<String> firstError(JsonObject config) {
    OutputUnit result = validator.validate(config);
    if (Boolean.TRUE.equals(result.getValid()) || result.getErrors() == null) {
      return Optional.empty();
    }
    List<OutputUnit> errors = result.getErrors();
    return errors.stream()
        .filter(this::saysWhatIsWrong)
        .findFirst()
        .or(() -> errors.stream().findFirst())
        .map(error -> describe(error, config));
  }

  private boolean saysWhatIsWrong(OutputUnit error) {
    List<String> keywordPath = segments(error.getKeywordLocation());
    if (keywordPath.isEmpty() || insideAlternative(keywordPath)) {
      return false;
    }
    String keyword = keywordPath.get(keywordPath.size() - 1);
    if (keyword.equals("additionalProperties")) {
      // The library also reports a declared property that failed its own schema here.
      Object value = at(schema, keywordPath);
      List<String> instancePath = segments(error.getInstanceLocation());
      return Boolean.FALSE.equals(value)
          && !instancePath.isEmpty()
          && !declared(parent(keywordPath)).contains(instancePath.get(instancePath.size() - 1));
    }
    return !WRAPPERS.contains(keyword);
  }

  /**
   * An error of one branch of an {@code anyOf}/{@code oneOf}: the alternative's own error says it.
   */
  private boolean insideAlternative(List<String> keywordPath) {
    for (int i = 0; i < keywordPath.size() - 1; i++) {
      String keyword = keywordPath.get(i);
      if ((keyword.equals("anyOf") || keyword.equals("oneOf"))
          && at(schema, keywordPath.subList(0, i + 1)) instanceof JsonArray) {
        return true;
      }
    }
    return false;
  }

  private String describe(OutputUnit error, JsonObject config) {
    List<String> keywordPath = segments(error.getKeywordLocation());
    List<String> instancePath = segments(error.getInstanceLocation());
    String keyword = keywordPath.isEmpty() ? "" : keywordPath.get(keywordPath.size() - 1);
    Object value = at(config, instancePath);
    // A location this copy cannot follow (a plugin schema's $ref) keeps the library's words.
    if (keywordPath.isEmpty() || !(at(schema, parent(keywordPath)) instanceof JsonObject owner)) {
      return refusal(keyPath(instancePath, config), error.getError());
    }
    if (keyword.equals("required")) {
      String missing = firstMissing(owner, value);
      List<String> path = new ArrayList<>(instancePath);
      path.add(missing);
      return refusal(keyPath(path, config), "is required");
    }
    if (keyword.equals("additionalProperties")) {
      Set<String> declared = declared(parent(keywordPath));
      String known = declared.isEmpty() ? "none" : "known: " + String.join(", ", declared);
      String why =
          instancePath.size() == 1
              ? "is not a config key of this policy (" + known + ")"
              : "is not a known key (" + known + ")";
      return refusal(keyPath(instancePath, config), why);
    }
    return refusal(keyPath(instancePath, config), why(keyword, owner, value, error));
  }

  private static String why(String keyword, JsonObject owner, Object value, OutputUnit error) {
    return switch (keyword) {
      case "type" -> "must be " + expected(owner) + ", got " + shown(value);
      case "enum" -> "must be " + expected(owner) + ", got " + shown(value);
      case "anyOf", "oneOf" ->
          "must be "
              + owner.getJsonArray(keyword).stream()
                  .map(branch -> branch instanceof JsonObject one ? expected(one) : "anything")
                  .collect(Collectors.joining(" or "))
              + ", got "
              + shown(value);
      case "minimum", "maximum" -> range(owner, value);
      case "minLength" ->
          owner.getInteger("minLength") == 1
              ? "must not be empty"
              : "must be at least " + owner.getInteger("minLength") + " characters long";
      case "pattern" ->
          NOT_BLANK.equals(owner.getString("pattern"))
              ? "must not be blank"
              : "must match the regex " + owner.getString("pattern") + ", got " + shown(value);
      case "minItems" ->
          "must have at least " + items(owner.getInteger("minItems")) + ", got " + size(value);
      case "maxItems" ->
          "must have at most " + items(owner.getInteger("maxItems")) + ", got " + size(value);
      default -> error.getError();
    };
  }

  private static String items(int count) {
    return count == 1 ? "1 item" : count + " items";
  }

  private static String range(JsonObject owner, Object value) {
    Object min = owner.getValue("minimum");
    Object max = owner.getValue("maximum");
    String bounds =
        min != null && max != null
            ? "between " + min + " and " + max
            : min != null ? "at least " + min : "at most " + max;
    return "must be " + bounds + ", got " + value;
  }

  /** What a schema takes, in words: {@code a whole number}, {@code one of a | b}. */
  private static String expected(JsonObject schema) {
    JsonArray choices = schema.getJsonArray("enum");
    if (choices != null) {
      return "one of " + choices.stream().map(String::valueOf).collect(Collectors.joining(" | "));
    }
    Object type = schema.getValue("type");
    if (type == null) {
      return "a value its schema takes";
    }
    Stream<Object> types = type instanceof JsonArray many ? many.stream() : Stream.of(type);
    return types
        .map(name -> typeName(String.valueOf(name), schema))
        .collect(Collectors.joining(" or "));
  }

  private static String typeName(String type, JsonObject schema) {
    return switch (type) {
      case "string" -> "a string";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "object" -> "a mapping";
      case "array" ->
          schema.getValue("items") instanceof JsonObject items
              ? "a list (each " + expected(items) + ")"
              : "a list";
      default -> type;
    };
  }

  private static String firstMissing(JsonObject owner, Object value) {
    JsonObject given = value instanceof JsonObject object ? object : new JsonObject();
    return owner.getJsonArray("required").stream()
        .map(String::valueOf)
        .filter(key -> given.getValue(key) == null)
        .findFirst()
        .orElse("?");
  }

  private Set<String> declared(List<String> subschemaPath) {
    Object subschema = at(schema, subschemaPath);
    JsonObject properties =
        subschema instanceof JsonObject object ? object.getJsonObject("properties") : null;
    return properties == null ? Set.of() : new TreeSet<>(properties.fieldNames());
  }

  private static String refusal(String path, String why) {
    return path.isEmpty() ? "config " + why : "config key '" + path + "' " + why;
  }

  /** {@code patterns[1].max_length}, as {@code PolicyConfig}'s refusals name a key. */
  private static String keyPath(List<String> path, JsonObject config) {
    StringBuilder key = new StringBuilder();
    Object node = config;
    for (String segment : path) {
      if (node instanceof JsonArray) {
        key.append('[').append(segment).append(']');
      } else {
        key.append(key.length() == 0 ? "" : ".").append(segment);
      }
      node = step(node, segment);
    }
    return key.toString();
  }

  /** The segments of a JSON pointer in URI fragment form ({@code #/properties/a~1b}). */
  private static List<String> segments(String location) {
    String pointer = location == null ? "" : location.replaceFirst("^#", "");
    List<String> segments = new ArrayList<>();
    if (pointer.isEmpty()) {
      return segments;
    }
    for (String segment : pointer.substring(1).split("/", -1)) {
      segments.add(segment.replace("~1", "/").replace("~0", "~"));
    }
    return segments;
  }

  private static List<String> parent(List<String> path) {
    return path.subList(0, path.size() - 1);
  }

  private static Object at(Object root, List<String> path) {
    Object node = root;
    for (String segment : path) {
      node = step(node, segment);
    }
    return node;
  }

  private static Object step(Object node, String segment) {
    if (node instanceof JsonObject object) {
      return object.getValue(segment);
    }
    if (node instanceof JsonArray array && segment.matches("\\d+")) {
      int index = Integer.parseInt(segment);
      return index < array.size() ? array.getValue(index) : null;
    }
    return null;
  }

  private static String size(Object value) {
    return value instanceof JsonArray array ? String.valueOf(array.size()) : shown(value);
  }

  private static String shown(Object value) {
    if (value instanceof JsonArray) {
      return "a list";
    }
    if (value instanceof JsonObject) {
      return "a mapping";
    }
    if (value instanceof String text) {
      return "'" + text + "'";
    }
    return String.valueOf(value);
  }
}
