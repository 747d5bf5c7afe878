package io.luthien.debug.history;

import io.luthien.debug.api.ApiRequest;
import java.time.Instant;

/**
 * {@code GET /api/history/sessions}' query: a page ({@code limit} 1–500, 50; {@code offset}) and
 * filters that combine with AND, each null (or false) when not set: {@code user_id} (only that
 * user's calls count), {@code model} (a session that used it in any turn), {@code from}/{@code to}
 * (bounds, inclusive, on the session's last activity), {@code q} (PostgreSQL web search syntax over
 * any turn's text) and {@code policy_intervention} (at least one turn a policy changed, blocked or
 * judged).
 */
record SessionFilter(
    int limit,
    int offset,
    String userId,
    String model,
    Instant from,
    Instant to,
    String query,
    boolean policyIntervention) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final int MAX_TEXT = 1_000;

  static SessionFilter of(ApiRequest request) {
    return new SessionFilter(
        request.count("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        request.count("offset", 0, 0, Integer.MAX_VALUE),
        HistoryParameters.optionalId(request, "user_id"),
        HistoryParameters.text(request, "model", MAX_TEXT),
        HistoryParameters.instant(request, "from"),
        HistoryParameters.instant(request, "to"),
        HistoryParameters.text(request, "q", MAX_TEXT),
        HistoryParameters.flag(request, "policy_intervention"));
  }
}
