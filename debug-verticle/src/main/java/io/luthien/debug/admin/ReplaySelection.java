package io.luthien.debug.admin;

import io.luthien.debug.api.ApiProblem;
import io.luthien.shared.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The recorded calls a replay names: {@code call_id}, {@code call_ids} or the {@code last} N. */
final class ReplaySelection {

  static final int MAX_REPLAYED = 100;

  private ReplaySelection() {}

  /** The calls in the order named (newest first for {@code last}); an unknown one is a 404. */
  static Future<List<ReplayedCalls.Recorded>> of(JsonObject body, ReplayedCalls recorded) {
    Object last = body.getValue("last");
    if (last != null) {
      if (!(last instanceof Integer count) || count < 1 || count > MAX_REPLAYED) {
        throw ApiProblem.badRequest("last must be a whole number from 1 to " + MAX_REPLAYED);
      }
      return recorded.last(count);
    }
    List<UUID> ids = new ArrayList<>();
    if (body.getValue(Fields.CALL_ID) != null) {
      ids.add(callId(body.getValue(Fields.CALL_ID), Fields.CALL_ID));
    } else if (body.getValue("call_ids") instanceof JsonArray listed && !listed.isEmpty()) {
      if (listed.size() > MAX_REPLAYED) {
        throw ApiProblem.badRequest("call_ids may name at most " + MAX_REPLAYED + " calls");
      }
      for (int i = 0; i < listed.size(); i++) {
        ids.add(callId(listed.getValue(i), "call_ids[" + i + "]"));
      }
    } else {
      throw ApiProblem.badRequest("name the calls to replay: call_id, call_ids or last");
    }
    return recorded
        .byIds(ids)
        .map(
            found -> {
              if (found.size() < ids.size()) {
                List<String> known = found.stream().map(ReplayedCalls.Recorded::callId).toList();
                String missing =
                    ids.stream()
                        .map(UUID::toString)
                        .filter(id -> !known.contains(id))
                        .findFirst()
                        .orElse("?");
                throw ApiProblem.notFound("no recorded call " + missing);
              }
              return found;
            });
  }

  private static UUID callId(Object value, String field) {
    if (value instanceof String text) {
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException notAUuid) {
        // reported below
      }
    }
    throw ApiProblem.badRequest(field + " must be a call id (a UUID), got '" + value + "'");
  }
}
