package io.luthien.policy.library.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message with {@code {name}} placeholders, as Python's {@code str.format} reads luthien-proxy's
 * templates: a doubled brace stands for one brace. A placeholder that the policy does not fill, or
 * a lone brace, is refused when the template is read, not when a call is blocked.
 */
public final class MessageTemplate {

  /** Literal text, or a placeholder's name. */
  private record Part(String text, boolean placeholder) {}

  private final List<Part> parts;

  private MessageTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Reads {@code template}, whose placeholders must be among {@code names}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static MessageTemplate of(String template, Set<String> names) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
        text.append(c);
        i += 2;
      } else if (c == '{') {
        int close = template.indexOf('}', i);
        String name = close < 0 ? null : template.substring(i + 1, close);
        if (name == null || !names.contains(name)) {
          throw new IllegalArgumentException(
              "has "
                  + (name == null ? "a '{' that is not closed" : "the placeholder {" + name + "}")
                  + " (known: "
                  + String.join(", ", names.stream().sorted().map(n -> "{" + n + "}").toList())
                  + "; write {{ and }} for braces)");
        }
        parts.add(new Part(text.toString(), false));
        text.setLength(0);
        parts.add(new Part(name, true));
        i = close + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("has a lone '}' (write }} for a brace)");
      } else {
        text.append(c);
        i++;
      }
    }
    parts.add(new Part(text.toString(), false));
    return new MessageTemplate(parts);
  }

  /** The message with each placeholder replaced by its value ("" when {@code values} has none). */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      out.append(part.placeholder ? values.getOrDefault(part.text, "") : part.text);
    }
    return out.toString();
  }

  /** At most {@code max} code points of {@code text}, as Python's {@code text[:max]}. */
  public static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max));
  }
}
