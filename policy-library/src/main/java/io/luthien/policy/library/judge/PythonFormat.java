package io.luthien.policy.library.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Python's {@code str.format} that luthien-proxy's message templates use: a name in
 * braces, optionally with a spec ({@code .2f}; also {@code f}, {@code %} and {@code e} with or
 * without a precision), and doubled braces for a brace. A number without a spec is written as
 * Python writes a float ({@code 0.9}, {@code 1.0}).
 */
final class PythonFormat {

  private static final Pattern SPEC = Pattern.compile("(?:\\.(\\d+))?([fFe%])");

  private record Part(String literal, String name, String spec) {}

  private final List<Part> parts;

  private PythonFormat(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Reads a template.
   *
   * @throws IllegalArgumentException on an unbalanced brace or a spec this class does not know
   */
  static PythonFormat of(String template) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '}') {
        throw new IllegalArgumentException("has a single '}' at " + i + " (write '}}')");
      } else if (c == '{') {
        int end = template.indexOf('}', i);
        if (end == -1) {
          throw new IllegalArgumentException("has a '{' at " + i + " that is never closed");
        }
        String field = template.substring(i + 1, end);
        int colon = field.indexOf(':');
        String name = colon == -1 ? field : field.substring(0, colon);
        String spec = colon == -1 ? "" : field.substring(colon + 1);
        if (!spec.isEmpty() && !SPEC.matcher(spec).matches()) {
          throw new IllegalArgumentException(
              "has a format spec ':" + spec + "' that is not supported");
        }
        parts.add(new Part(literal.toString(), null, null));
        literal.setLength(0);
        parts.add(new Part(null, name, spec));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    parts.add(new Part(literal.toString(), null, null));
    return new PythonFormat(List.copyOf(parts));
  }

  /**
   * The template with {@code values} put in.
   *
   * @throws IllegalArgumentException for a placeholder with no value, or a number spec on text
   */
  String format(Map<String, ?> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part.literal() != null) {
        out.append(part.literal());
        continue;
      }
      if (!values.containsKey(part.name())) {
        throw new IllegalArgumentException(
            "names {"
                + part.name()
                + "}, which is not one of {"
                + String.join("}, {", new java.util.TreeSet<>(values.keySet()))
                + "}");
      }
      out.append(field(values.get(part.name()), part));
    }
    return out.toString();
  }

  private static String field(Object value, Part part) {
    if (part.spec().isEmpty()) {
      return String.valueOf(value instanceof Number number ? number.doubleValue() : value);
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(
          "formats {" + part.name() + "} (text) with the number spec ':" + part.spec() + "'");
    }
    Matcher spec = SPEC.matcher(part.spec());
    if (!spec.matches()) {
      throw new IllegalArgumentException("has an unsupported spec ':" + part.spec() + "'");
    }
    int precision = spec.group(1) == null ? 6 : Integer.parseInt(spec.group(1));
    double read = number.doubleValue();
    return switch (spec.group(2)) {
      case "%" -> String.format(Locale.ROOT, "%." + precision + "f", read * 100) + "%";
      case "e" -> String.format(Locale.ROOT, "%." + precision + "e", read);
      default -> String.format(Locale.ROOT, "%." + precision + "f", read);
    };
  }
}
