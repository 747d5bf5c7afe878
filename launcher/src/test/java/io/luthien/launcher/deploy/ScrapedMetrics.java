package io.luthien.launcher.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names of one Prometheus text scrape, each with the label names its samples carry. */
final class ScrapedMetrics {

  private static final Pattern LABEL =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

  private final Map<String, Set<String>> labelsByName = new TreeMap<>();

  static ScrapedMetrics parse(String scrape) {
    ScrapedMetrics metrics = new ScrapedMetrics();
    scrape
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(
            line -> {
              int brace = line.indexOf('{');
              int space = line.indexOf(' ');
              boolean labelled = brace >= 0 && (space < 0 || brace < space);
              String name = line.substring(0, labelled ? brace : space);
              Set<String> labels =
                  metrics.labelsByName.computeIfAbsent(name, ignored -> new TreeSet<>());
              if (labelled) {
                Matcher label = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (label.find()) {
                  labels.add(label.group(1));
                }
              }
            });
    return metrics;
  }

  boolean has(String name) {
    return labelsByName.containsKey(name);
  }

  Set<String> labelsOf(String name) {
    return labelsByName.getOrDefault(name, Set.of());
  }

  Set<String> names() {
    return labelsByName.keySet();
  }
}
