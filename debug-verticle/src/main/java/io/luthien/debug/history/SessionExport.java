package io.luthien.debug.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A session's detail as luthien-proxy exports it: Markdown for reading, and JSONL, one turn per
 * line ({@code ConversationTurn} plus its {@code session_id}), for tools.
 */
final class SessionExport {

  private SessionExport() {}

  static String jsonl(JsonObject detail) {
    StringBuilder lines = new StringBuilder();
    for (Object turn : detail.getJsonArray("turns")) {
      JsonObject line = new JsonObject().put("session_id", detail.getString("session_id"));
      line.mergeIn((JsonObject) turn);
      lines.append(line.encode()).append('\n');
    }
    return lines.toString();
  }

  static String markdown(JsonObject detail) {
    StringBuilder md = new StringBuilder();
    md.append("# Conversation History: ").append(detail.getString("session_id")).append("\n\n");
    md.append("**Started:** ").append(detail.getString("first_timestamp")).append('\n');
    md.append("**Ended:** ").append(detail.getString("last_timestamp")).append('\n');
    JsonArray turns = detail.getJsonArray("turns");
    md.append("**Turns:** ").append(turns.size()).append('\n');
    JsonArray models = detail.getJsonArray("models_used");
    if (!models.isEmpty()) {
      md.append("**Models:** ").append(String.join(", ", strings(models))).append('\n');
    }
    long interventions = detail.getLong("total_policy_interventions");
    if (interventions > 0) {
      md.append("**Policy Interventions:** ").append(interventions).append('\n');
    }
    md.append("\n---\n\n");
    for (int i = 0; i < turns.size(); i++) {
      turn(md, i + 1, turns.getJsonObject(i));
    }
    return md.toString();
  }

  private static void turn(StringBuilder md, int number, JsonObject turn) {
    md.append("## Turn ").append(number).append('\n');
    if (turn.getString("model") != null) {
      md.append("*Model: ").append(turn.getString("model")).append("*\n");
    }
    md.append('\n');
    for (String side : List.of("request_messages", "response_messages")) {
      for (Object message : turn.getJsonArray(side)) {
        message(md, (JsonObject) message);
      }
    }
    if (turn.getValue("blocked") instanceof JsonObject blocked) {
      md.append("### Blocked\n\n")
          .append(blocked.getValue("status"))
          .append(": ")
          .append(blocked.getString("message", ""))
          .append("\n\n");
    }
    JsonArray annotations = turn.getJsonArray("annotations");
    if (!annotations.isEmpty()) {
      md.append("### Policy Annotations\n");
      for (Object item : annotations) {
        JsonObject annotation = (JsonObject) item;
        md.append("- **")
            .append(annotation.getString("policy_name"))
            .append("**: ")
            .append(annotation.getString("summary"))
            .append('\n');
      }
      md.append('\n');
    }
    md.append("---\n\n");
  }

  private static void message(StringBuilder md, JsonObject message) {
    String type = message.getString("message_type");
    md.append("### ").append(label(type)).append('\n');
    if ("tool_call".equals(type)) {
      md.append("**Tool:** `").append(message.getString("tool_name")).append("`\n");
      JsonObject input = message.getJsonObject("tool_input");
      md.append("```json\n")
          .append(input != null ? input.encodePrettily() : message.getString("content"))
          .append("\n```\n\n");
      return;
    }
    if ("tool_result".equals(type) && message.getString("tool_call_id") != null) {
      md.append("*Response to: ").append(message.getString("tool_call_id")).append("*\n");
    }
    md.append('\n').append(message.getString("content")).append("\n\n");
  }

  private static String label(String type) {
    return switch (type) {
      case "system" -> "System";
      case "user" -> "User";
      case "assistant" -> "Assistant";
      case "tool_call" -> "Tool Call";
      case "tool_result" -> "Tool Result";
      default -> "Message";
    };
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }
}
