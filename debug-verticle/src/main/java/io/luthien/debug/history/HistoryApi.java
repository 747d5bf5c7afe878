package io.luthien.debug.history;

import io.luthien.debug.api.ApiProblem;
import io.luthien.debug.api.ApiRequest;
import io.luthien.debug.api.ApiRouter;
import io.luthien.shared.payloads.ApiAnswer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/**
 * luthien-proxy's conversation history API ({@code /api/history/*}): the recorded sessions with
 * filters and full-text search, one session turn by turn, its Markdown and JSONL exports, the users
 * seen and their labels. Registered into the {@link ApiRouter}, so it answers on the debug port and
 * on every gateway's, behind the admin key.
 */
public final class HistoryApi {

  private static final int USERS_LIMIT = 500;
  private static final int USERS_MAX = 5_000;
  private static final int MAX_LABEL_LENGTH = 255;

  private final SessionList sessions;
  private final SessionCalls calls;
  private final ConversationTurns turns;
  private final UserLabels users;

  /** {@code traceUrl}: a call id's trace link, or null when there is no trace backend. */
  public HistoryApi(Pool pool, Function<String, String> traceUrl) {
    this.sessions = new SessionList(pool);
    this.calls = new SessionCalls(pool);
    this.turns = new ConversationTurns(traceUrl);
    this.users = new UserLabels(pool);
  }

  public void register(ApiRouter router) {
    router
        .route("GET", "/api/history/sessions", this::list)
        .route("GET", "/api/history/sessions/{session_id}", this::session)
        .route("GET", "/api/history/sessions/{session_id}/export", this::markdown)
        .route("GET", "/api/history/sessions/{session_id}/export/jsonl", this::jsonl)
        .route("GET", "/api/history/users", this::users)
        .route("GET", "/api/history/user-labels", this::labels)
        .route("PUT", "/api/history/user-labels/{user_id}", this::setLabel)
        .route("DELETE", "/api/history/user-labels/{user_id}", this::deleteLabel);
  }

  private Future<ApiAnswer> list(ApiRequest request) {
    return sessions.page(SessionFilter.of(request)).map(page -> ApiAnswer.json(200, page));
  }

  private Future<ApiAnswer> session(ApiRequest request) {
    return detail(request).map(detail -> ApiAnswer.json(200, detail));
  }

  private Future<ApiAnswer> markdown(ApiRequest request) {
    return detail(request)
        .map(
            detail ->
                download(
                    "text/markdown; charset=utf-8",
                    SessionExport.markdown(detail),
                    detail.getString("session_id"),
                    "md"));
  }

  private Future<ApiAnswer> jsonl(ApiRequest request) {
    return detail(request)
        .map(
            detail ->
                download(
                    "application/x-ndjson",
                    SessionExport.jsonl(detail),
                    detail.getString("session_id"),
                    "jsonl"));
  }

  /** luthien-proxy's {@code SessionDetail}; an unknown session is a 404. */
  private Future<JsonObject> detail(ApiRequest request) {
    String sessionId = HistoryParameters.id(request, "session_id");
    return calls
        .of(sessionId)
        .map(
            recorded -> {
              if (recorded.isEmpty()) {
                throw ApiProblem.notFound("Session not found: no call was recorded with it");
              }
              return turns.detail(sessionId, recorded);
            });
  }

  private static ApiAnswer download(String type, String body, String sessionId, String suffix) {
    String safe = sessionId.replaceAll("[^A-Za-z0-9_-]", "_");
    return new ApiAnswer(200, type, new JsonObject(), body)
        .withHeader(
            "Content-Disposition",
            "attachment; filename=\"conversation_" + safe + "." + suffix + "\"");
  }

  private Future<ApiAnswer> users(ApiRequest request) {
    return users
        .users(
            request.count("limit", USERS_LIMIT, 1, USERS_MAX),
            request.count("offset", 0, 0, Integer.MAX_VALUE))
        .map(answer -> ApiAnswer.json(200, answer));
  }

  private Future<ApiAnswer> labels(ApiRequest request) {
    return users
        .labels()
        .map(labels -> ApiAnswer.json(200, new JsonObject().put("labels", labels)));
  }

  /**
   * {@code {display_name}} (luthien-proxy's field) or {@code {label}}: 1 to 255 characters after
   * trimming.
   */
  private Future<ApiAnswer> setLabel(ApiRequest request) {
    String userId = HistoryParameters.id(request, "user_id");
    JsonObject body = request.json();
    String field = body.containsKey("display_name") ? "display_name" : "label";
    if (!(body.getValue(field) instanceof String text)
        || text.isBlank()
        || text.strip().length() > MAX_LABEL_LENGTH) {
      throw ApiProblem.badRequest(
          "display_name must be a name of 1 to " + MAX_LABEL_LENGTH + " characters");
    }
    String label = text.strip();
    return users
        .set(userId, label)
        .map(
            stored ->
                ApiAnswer.json(
                    200,
                    new JsonObject()
                        .put("user_id", userId)
                        .put("display_name", label)
                        .put("label", label)));
  }

  private Future<ApiAnswer> deleteLabel(ApiRequest request) {
    String userId = HistoryParameters.id(request, "user_id");
    return users
        .delete(userId)
        .map(existed -> ApiAnswer.json(200, new JsonObject().put("deleted", true)));
  }
}
