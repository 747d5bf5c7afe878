package io.luthien.launcher.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression of the provisioned dashboards (panel targets and {@code label_values}
 * variables whose datasource is Prometheus) and of the alert and recording rules, with where it
 * comes from.
 */
final class DashboardQueries {

  static final String PROMETHEUS_UID = "prometheus";
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((?:(.*),)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");

  /** {@code label}, when set, is the label a {@code label_values} variable lists. */
  record Query(String source, String expr, String label) {}

  private DashboardQueries() {}

  static List<Path> dashboards() {
    return RepoFiles.filesIn(RepoFiles.DASHBOARDS, ".json");
  }

  static List<Query> ofDashboards() {
    List<Query> queries = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonObject dashboard = RepoFiles.json(file);
      String name = file.getFileName().toString();
      collectPanels(name, dashboard.getJsonArray("panels", new JsonArray()), null, queries);
      collectVariables(name, dashboard, queries);
    }
    return queries;
  }

  static List<Query> ofRules() {
    return rules().stream()
        .map(
            rule ->
                new Query(
                    rule.get("file") + " " + rule.getOrDefault("alert", rule.get("record")),
                    String.valueOf(rule.get("expr")),
                    null))
        .toList();
  }

  /** The names the recording rules define, which expressions may use like metrics. */
  static List<String> recordedNames() {
    return rules().stream()
        .filter(rule -> rule.get("record") != null)
        .map(rule -> String.valueOf(rule.get("record")))
        .toList();
  }

  /**
   * Every alerting and recording rule of the rule files, each with its file's name under {@code
   * file}.
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Path file : RepoFiles.filesIn(RepoFiles.ALERT_RULES, ".yml")) {
      Map<String, Object> content = RepoFiles.yaml(RepoFiles.ROOT.relativize(file).toString());
      for (Map<String, Object> group : (List<Map<String, Object>>) content.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          Map<String, Object> named = new java.util.LinkedHashMap<>(rule);
          named.put("file", file.getFileName().toString());
          rules.add(named);
        }
      }
    }
    return rules;
  }

  private static void collectPanels(
      String dashboard, JsonArray panels, String inheritedUid, List<Query> queries) {
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      String panelUid = uid(panel.getValue("datasource"), inheritedUid);
      String source = dashboard + " / " + panel.getString("title", "panel " + panel.getValue("id"));
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        JsonObject query = (JsonObject) target;
        if (PROMETHEUS_UID.equals(uid(query.getValue("datasource"), panelUid))
            && query.getString("expr") != null) {
          queries.add(new Query(source, query.getString("expr"), null));
        }
      }
      collectPanels(dashboard, panel.getJsonArray("panels", new JsonArray()), panelUid, queries);
    }
  }

  private static void collectVariables(String dashboard, JsonObject json, List<Query> queries) {
    JsonObject templating = json.getJsonObject("templating", new JsonObject());
    for (Object item : templating.getJsonArray("list", new JsonArray())) {
      JsonObject variable = (JsonObject) item;
      if (!"query".equals(variable.getString("type"))
          || !PROMETHEUS_UID.equals(uid(variable.getValue("datasource"), null))) {
        continue;
      }
      Object query = variable.getValue("query");
      String text =
          query instanceof JsonObject object ? object.getString("query") : String.valueOf(query);
      String source = dashboard + " / variable " + variable.getString("name");
      Matcher labelValues = LABEL_VALUES.matcher(text.trim());
      if (labelValues.matches()) {
        queries.add(
            new Query(
                source,
                labelValues.group(1) == null ? "" : labelValues.group(1).trim(),
                labelValues.group(2)));
      } else {
        queries.add(new Query(source, text, null));
      }
    }
  }

  /**
   * A datasource given as {@code {"uid": ...}} or as a bare uid string; {@code fallback} when
   * absent.
   */
  static String uid(Object datasource, String fallback) {
    if (datasource instanceof JsonObject object && object.getString("uid") != null) {
      return object.getString("uid");
    }
    if (datasource instanceof String text && !text.isBlank()) {
      return text;
    }
    return fallback;
  }
}
