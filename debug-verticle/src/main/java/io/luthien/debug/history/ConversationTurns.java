package io.luthien.debug.history;

import io.luthien.debug.history.SessionCalls.RecordedCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * luthien-proxy's {@code SessionDetail} from a session's recorded calls: one {@code
 * ConversationTurn} per call, its messages the ones that call brought (the new user message or tool
 * results, then the answer with its tool calls), its {@code policy.*} events as {@code
 * PolicyAnnotation}s, and links to the call's diff and, with a trace backend, its trace.
 */
final class ConversationTurns {

  private final Function<String, String> traceUrl;

  /** {@code traceUrl}: a call id's trace link, or null when there is no trace backend. */
  ConversationTurns(Function<String, String> traceUrl) {
    this.traceUrl = traceUrl;
  }

  JsonObject detail(String sessionId, List<RecordedCall> calls) {
    JsonArray turns = new JsonArray();
    TreeSet<String> models = new TreeSet<>();
    long interventions = 0;
    Instant last = calls.get(0).createdAt();
    for (RecordedCall call : calls) {
      JsonObject turn = turn(call);
      turns.add(turn);
      if (call.model() != null) {
        models.add(call.model());
      }
      if (turn.getBoolean("had_policy_intervention")) {
        interventions++;
      }
      Instant end = call.completedAt() != null ? call.completedAt() : call.createdAt();
      last = end.isAfter(last) ? end : last;
    }
    return new JsonObject()
        .put("session_id", sessionId)
        .put("first_timestamp", calls.get(0).createdAt().toString())
        .put("last_timestamp", last.toString())
        .put("turns", turns)
        .put("total_policy_interventions", interventions)
        .put("models_used", new JsonArray(new ArrayList<>(models)));
  }

  private JsonObject turn(RecordedCall call) {
    JsonObject request = event(call, "request");
    JsonObject response = event(call, "response");
    JsonObject originalRequest = side(request, "original");
    JsonObject finalRequest = side(request, "final");
    JsonObject originalResponse = side(response, "original");
    JsonObject finalResponse = side(response, "final");
    boolean requestModified =
        finalRequest != null && !Objects.equals(originalRequest, finalRequest);
    boolean responseModified =
        finalResponse != null && !Objects.equals(originalResponse, finalResponse);
    String id = call.callId().toString();
    JsonObject turn =
        new JsonObject()
            .put("call_id", id)
            .put("timestamp", call.createdAt().toString())
            .put("completed_at", call.completedAt() == null ? null : call.completedAt().toString())
            .put("model", call.model())
            .put("request_messages", requestMessages(finalRequest, originalRequest))
            .put("response_messages", responseMessages(finalResponse))
            .put("annotations", annotations(call))
            .put("had_policy_intervention", call.changed() || call.blocked() || call.judged())
            .put("policy_changed", call.changed())
            .put("policy_blocked", call.blocked())
            .put("policy_judged", call.judged())
            .put("request_was_modified", requestModified)
            .put("response_was_modified", responseModified)
            .put(
                "original_request_messages",
                requestModified ? requestMessages(originalRequest, null) : null)
            .put(
                "original_response_messages",
                responseModified ? responseMessages(originalResponse) : null)
            .put("diff_url", "/debug/calls/" + id + "/diff");
    if (request != null && request.getValue("blocked") instanceof JsonObject blocked) {
      turn.put("blocked", blocked);
    }
    String trace = traceUrl.apply(id);
    if (trace != null) {
      turn.put("trace_url", trace);
    }
    return turn;
  }

  /** A blocked request has no final one: the turn shows what the client sent. */
  private static JsonArray requestMessages(JsonObject request, JsonObject fallback) {
    JsonObject shown = request != null ? request : fallback;
    return shown == null
        ? new JsonArray()
        : new JsonArray(new ArrayList<>(ClientMessages.newInRequest(shown)));
  }

  private static JsonArray responseMessages(JsonObject response) {
    return response == null
        ? new JsonArray()
        : new JsonArray(new ArrayList<>(ClientMessages.response(response)));
  }

  /** luthien-proxy's {@code PolicyAnnotation}s: {@code policy.<name>[.<event>]}. */
  private static JsonArray annotations(RecordedCall call) {
    JsonArray annotations = new JsonArray();
    for (JsonObject event : call.events()) {
      String type = event.getString("event_type");
      if (!type.startsWith("policy.")) {
        continue;
      }
      JsonObject payload = event.getJsonObject("payload", new JsonObject());
      JsonObject data =
          payload.getValue("data") instanceof JsonObject object ? object : new JsonObject();
      String[] parts = type.split("\\.", -1);
      annotations.add(
          new JsonObject()
              .put(
                  "policy_name",
                  data.getValue("policy") instanceof String policy ? policy : parts[1])
              .put("event_type", type)
              .put("summary", data.getValue("summary") instanceof String summary ? summary : type)
              .put("details", payload));
    }
    return annotations;
  }

  private static JsonObject event(RecordedCall call, String type) {
    return call.events().stream()
        .filter(e -> type.equals(e.getString("event_type")))
        .map(e -> e.getJsonObject("payload"))
        .findFirst()
        .orElse(null);
  }

  private static JsonObject side(JsonObject payload, String side) {
    return payload != null && payload.getValue(side) instanceof JsonObject value ? value : null;
  }
}
