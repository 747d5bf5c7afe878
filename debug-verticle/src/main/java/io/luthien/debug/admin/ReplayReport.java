package io.luthien.debug.admin;

import io.luthien.debug.CallDiff;
import io.luthien.shared.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/** A replay's answer: per call its outcome and diffs, and how many calls each outcome got. */
final class ReplayReport {

  static final String CHANGED = "changed";
  static final String BLOCKED = "blocked";
  static final String UNCHANGED = "unchanged";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  private ReplayReport() {}

  /** A call the candidate ran on: {@code trial} is the gateway's trial reply. */
  static JsonObject replayed(ReplayedCalls.Recorded call, JsonObject trial) {
    JsonObject request = trial.getJsonObject(Fields.REQUEST);
    JsonObject response = trial.getJsonObject(Fields.RESPONSE);
    JsonObject diff = CallDiff.compute(request, response);
    boolean blocked = request.getJsonObject(Fields.BLOCKED) != null;
    boolean changed =
        diff.getJsonObject(Fields.REQUEST).getBoolean("changed", false)
            || diff.getJsonObject(Fields.RESPONSE).getBoolean("changed", false);
    JsonObject recordedRequest = call.request();
    JsonObject recordedResponse = call.response();
    JsonObject againstRecorded =
        CallDiff.compute(
            sides(recordedRequest.getValue(Fields.FINAL), request.getValue(Fields.FINAL)),
            sides(
                recordedResponse.getValue(Fields.FINAL),
                response == null ? null : response.getValue(Fields.FINAL)));
    boolean differs =
        !Objects.equals(recordedRequest.getValue(Fields.FINAL), request.getValue(Fields.FINAL))
            || !Objects.equals(
                recordedResponse.getValue(Fields.FINAL),
                response == null ? null : response.getValue(Fields.FINAL));
    return new JsonObject()
        .put(Fields.CALL_ID, call.callId())
        .put(Fields.API, call.api())
        .put("trial_call_id", trial.getString(Fields.CALL_ID))
        .put("outcome", blocked ? BLOCKED : changed ? CHANGED : UNCHANGED)
        .put(Fields.BLOCKED, request.getJsonObject(Fields.BLOCKED))
        .put("diff", diff)
        .put("differs_from_recorded", differs)
        .put("against_recorded", againstRecorded)
        .put("events", trial.getJsonArray("events", new JsonArray()));
  }

  static JsonObject failed(String callId, String error) {
    return new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put("outcome", FAILED)
        .put(Fields.ERROR, error);
  }

  static JsonObject skipped(String callId, String reason) {
    return new JsonObject()
        .put(Fields.CALL_ID, callId)
        .put("outcome", SKIPPED)
        .put(Fields.ERROR, reason);
  }

  static JsonObject of(List<JsonObject> calls) {
    JsonObject summary = new JsonObject().put("calls", calls.size());
    for (String outcome : List.of(CHANGED, BLOCKED, UNCHANGED, FAILED, SKIPPED)) {
      summary.put(
          outcome, calls.stream().filter(c -> outcome.equals(c.getString("outcome"))).count());
    }
    return new JsonObject().put("summary", summary).put("calls", new JsonArray(calls));
  }

  private static JsonObject sides(Object original, Object candidate) {
    return new JsonObject().put(Fields.ORIGINAL, original).put(Fields.FINAL, candidate);
  }
}
