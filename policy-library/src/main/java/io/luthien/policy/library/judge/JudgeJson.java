package io.luthien.policy.library.judge;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading a judge's answer and writing what a judge is shown, as luthien-proxy does: its parser
 * ({@code tool_call_judge_utils.parse_judge_response}) accepts the object inside a {@code ```json}
 * fence, and its prompts show JSON the way Python's {@code json.dumps} writes it.
 */
final class JudgeJson {

  private JudgeJson() {}

  /**
   * The JSON object a judge answered, its code fence (three backticks, optionally {@code json})
   * taken off first.
   *
   * @throws JudgeFailure when the answer is no JSON object
   */
  static JsonObject parseObject(String answer) {
    if (answer == null) {
      throw new JudgeFailure("Judge response has no text");
    }
    String text = answer.strip();
    if (text.startsWith("```")) {
      text = stripLeading(text, '`');
      int newline = text.indexOf('\n');
      if (newline != -1) {
        String prefix = text.substring(0, newline).strip().toLowerCase(Locale.ROOT);
        if (prefix.isEmpty() || prefix.equals("json")) {
          text = text.substring(newline + 1);
        }
      }
      text = stripTrailing(text, '`').strip();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new JudgeFailure("Judge response JSON parsing failed: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new JudgeFailure("Judge response must be a JSON object");
    }
    return object;
  }

  /**
   * {@code value} as Python's {@code json.dumps} writes it with its defaults: {@code ", "} and
   * {@code ": "} between items, every character outside printable ASCII escaped.
   */
  static String pythonDumps(Object value) {
    StringBuilder out = new StringBuilder();
    dump(value, out);
    return out.toString();
  }

  /**
   * A tool call's arguments as luthien-proxy parses them ({@code parse_tool_input}): the object, an
   * empty one when there are none, or {@code {"_raw": text}} when they are not a JSON object.
   */
  static JsonObject toolInput(String arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return new JsonObject();
    }
    try {
      if (Json.decodeValue(arguments) instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      // not JSON: shown raw below
    }
    return new JsonObject().put("_raw", arguments);
  }

  private static void dump(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      quote(text, out);
    } else if (value instanceof Boolean flag) {
      out.append(flag ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      out.append(
          Double.isNaN(number)
              ? "NaN"
              : Double.isInfinite(number) ? (number > 0 ? "Infinity" : "-Infinity") : number);
    } else if (value instanceof Number number) {
      out.append(number);
    } else if (value instanceof JsonObject object) {
      dumpObject(object.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      dumpObject(map, out);
    } else if (value instanceof JsonArray array) {
      dumpList(array.getList(), out);
    } else if (value instanceof List<?> list) {
      dumpList(list, out);
    } else {
      quote(String.valueOf(value), out);
    }
  }

  private static void dumpList(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      dump(list.get(i), out);
    }
    out.append(']');
  }

  private static void dumpObject(Map<?, ?> map, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      quote(String.valueOf(entry.getKey()), out);
      out.append(": ");
      dump(entry.getValue(), out);
    }
    out.append('}');
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String stripLeading(String text, char c) {
    int start = 0;
    while (start < text.length() && text.charAt(start) == c) {
      start++;
    }
    return text.substring(start);
  }

  private static String stripTrailing(String text, char c) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == c) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "not JSON";
    }
    int newline = message.indexOf('\n');
    return newline == -1 ? message : message.substring(0, newline);
  }
}
