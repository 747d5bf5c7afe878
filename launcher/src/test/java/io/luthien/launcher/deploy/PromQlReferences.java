package io.luthien.launcher.deploy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names and label names one PromQL expression refers to, read with a small tokenizer:
 * enough to tell whether a dashboard or a rule has drifted from what the code exposes, not a full
 * PromQL parser (promtool checks the syntax). Grafana's variables must be substituted first ({@link
 * #withoutGrafanaVariables}).
 */
record PromQlReferences(Set<String> metrics, Set<String> labels) {

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "start",
          "end",
          "atan2",
          // aggregation operators, which may be followed by "by (...)" before their parenthesis
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  /**
   * Grafana's interval variables become {@code 5m}; any other variable (used in matchers) {@code
   * .*}.
   */
  static String withoutGrafanaVariables(String expression) {
    return expression
        .replaceAll("\\$\\{?(__rate_interval|__interval|__range)(_ms|_s)?}?", "5m")
        .replaceAll("\\$\\{[A-Za-z0-9_]+(:[a-z]+)?}|\\$[A-Za-z_][A-Za-z0-9_]*", ".*");
  }

  static PromQlReferences of(String expression) {
    Set<String> metrics = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    String text = expression;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(text, i);
      } else if (c == '#') {
        i = skipUntil(text, i, '\n');
      } else if (c == '[') {
        i = skipUntil(text, i, ']');
      } else if (c == '{') {
        i = readMatchers(text, i, metrics, labels);
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
        i = skipNumber(text, i);
      } else if (isIdentifierStart(c)) {
        int end = i;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
          end++;
        }
        String word = text.substring(i, end);
        int next = skipSpace(text, end);
        boolean call = next < text.length() && text.charAt(next) == '(';
        if (call && LABEL_LISTS.contains(word)) {
          end = readLabelList(text, next, labels);
        } else if (!call && !KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
          metrics.add(word);
        }
        i = end;
      } else {
        i++;
      }
    }
    return new PromQlReferences(metrics, labels);
  }

  private static int readMatchers(String text, int open, Set<String> metrics, Set<String> labels) {
    int i = open + 1;
    while (i < text.length() && text.charAt(i) != '}') {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(text, i);
      } else if (isIdentifierStart(c)) {
        int end = i;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
          end++;
        }
        String label = text.substring(i, end);
        if (label.equals("__name__")) {
          int value = skipSpace(text, end);
          while (value < text.length() && "=!~ ".indexOf(text.charAt(value)) >= 0) {
            value++;
          }
          int close = skipString(text, value);
          metrics.add(text.substring(value + 1, close - 1));
          i = close;
          continue;
        }
        labels.add(label);
        i = end;
      } else {
        i++;
      }
    }
    return i + 1;
  }

  private static int readLabelList(String text, int open, Set<String> labels) {
    int close = text.indexOf(')', open);
    for (String label : text.substring(open + 1, close).split(",", -1)) {
      if (!label.isBlank()) {
        labels.add(label.trim());
      }
    }
    return close + 1;
  }

  private static int skipString(String text, int open) {
    char quote = text.charAt(open);
    int i = open + 1;
    while (i < text.length() && text.charAt(i) != quote) {
      i += text.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  private static int skipUntil(String text, int from, char end) {
    int at = text.indexOf(end, from);
    return at < 0 ? text.length() : at + 1;
  }

  private static int skipNumber(String text, int from) {
    int i = from;
    while (i < text.length()
        && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '.'
            || ((text.charAt(i) == '-' || text.charAt(i) == '+')
                && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E')))) {
      i++;
    }
    return i;
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
