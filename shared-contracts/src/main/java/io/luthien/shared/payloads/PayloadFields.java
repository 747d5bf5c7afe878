package io.luthien.shared.payloads;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Strict reads of a message body: a missing required field or a value of the wrong type is
 * malformed.
 */
final class PayloadFields {

  private PayloadFields() {}

  static JsonObject body(JsonObject body) {
    if (body == null) {
      throw new MalformedPayloadException("the body is missing");
    }
    return body;
  }

  static String requiredString(JsonObject body, String field) {
    return required(field, optionalString(body, field));
  }

  /** A required string with something in it. */
  static String requiredText(JsonObject body, String field) {
    String text = requiredString(body, field);
    if (text.isBlank()) {
      throw new MalformedPayloadException(field + " is blank");
    }
    return text;
  }

  static String optionalString(JsonObject body, String field) {
    return typed(body, field, String.class, "a string");
  }

  static JsonObject requiredObject(JsonObject body, String field) {
    return required(field, optionalObject(body, field));
  }

  static JsonObject optionalObject(JsonObject body, String field) {
    return typed(body, field, JsonObject.class, "a JSON object");
  }

  static boolean requiredBoolean(JsonObject body, String field) {
    return required(field, optionalBoolean(body, field));
  }

  static Boolean optionalBoolean(JsonObject body, String field) {
    return typed(body, field, Boolean.class, "a boolean");
  }

  static long requiredCount(JsonObject body, String field) {
    Number number = required(field, typed(body, field, Number.class, "a non-negative integer"));
    if (number.doubleValue() != number.longValue() || number.longValue() < 0) {
      throw new MalformedPayloadException(field + " must be a non-negative integer");
    }
    return number.longValue();
  }

  static int requiredIntCount(JsonObject body, String field) {
    long count = requiredCount(body, field);
    if (count > Integer.MAX_VALUE) {
      throw new MalformedPayloadException(field + " must be a non-negative integer");
    }
    return (int) count;
  }

  static Integer optionalInteger(JsonObject body, String field) {
    Number number = typed(body, field, Number.class, "an integer");
    if (number == null) {
      return null;
    }
    if (number.doubleValue() != number.intValue()) {
      throw new MalformedPayloadException(field + " must be an integer");
    }
    return number.intValue();
  }

  static Long optionalLong(JsonObject body, String field) {
    Number number = typed(body, field, Number.class, "an integer");
    if (number == null) {
      return null;
    }
    if (number.doubleValue() != number.longValue()) {
      throw new MalformedPayloadException(field + " must be an integer");
    }
    return number.longValue();
  }

  /** An ISO-8601 instant with an offset ({@code 2026-11-02T10:00:00Z}), or null when absent. */
  static Instant optionalInstant(JsonObject body, String field) {
    String text = typed(body, field, String.class, "an ISO-8601 string");
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedPayloadException(
          field + " is not an ISO-8601 instant with an offset: '" + text + "'");
    }
  }

  static Instant requiredInstant(JsonObject body, String field) {
    return required(field, optionalInstant(body, field));
  }

  /** The array's objects, each read by {@code read}; an absent array is an empty list. */
  static <T> List<T> optionalList(JsonObject body, String field, Function<JsonObject, T> read) {
    JsonArray array = typed(body, field, JsonArray.class, "a JSON array");
    return array == null ? List.of() : list(array, field, read);
  }

  static <T> List<T> requiredList(JsonObject body, String field, Function<JsonObject, T> read) {
    return list(required(field, typed(body, field, JsonArray.class, "a JSON array")), field, read);
  }

  static <T> JsonArray array(List<T> items, Function<? super T, ?> write) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(write.apply(item)));
    return array;
  }

  private static <T> List<T> list(JsonArray array, String field, Function<JsonObject, T> read) {
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw new MalformedPayloadException(field + "[" + i + "] must be a JSON object");
      }
      try {
        items.add(read.apply(item));
      } catch (MalformedPayloadException e) {
        throw new MalformedPayloadException(field + "[" + i + "]." + e.getMessage());
      }
    }
    return List.copyOf(items);
  }

  private static <T> T required(String field, T value) {
    if (value == null) {
      throw new MalformedPayloadException(field + " is missing");
    }
    return value;
  }

  private static <T> T typed(JsonObject body, String field, Class<T> type, String described) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new MalformedPayloadException(field + " must be " + described);
    }
    return type.cast(value);
  }
}
