package io.luthien.gateway.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's session id, when it sends one: an {@code x-session-id} header, Codex's {@code
 * session-id} header, or Claude Code's {@code metadata.user_id} ({@code …_session_<uuid>}, or its
 * JSON form with {@code session_id}).
 */
final class SessionIds {

  private static final Pattern CLAUDE_SESSION = Pattern.compile("_session_([0-9A-Za-z-]{8,64})$");
  private static final int MAX_LENGTH = 128;

  private SessionIds() {}

  static String of(HttpServerRequest request, JsonObject body) {
    String header = request.getHeader("x-session-id");
    if (header == null) {
      header = request.getHeader("session-id");
    }
    if (header != null && !header.isBlank()) {
      return bounded(header.trim());
    }
    if (body.getValue("metadata") instanceof JsonObject metadata
        && metadata.getValue("user_id") instanceof String userId) {
      return fromClaudeUserId(userId);
    }
    return null;
  }

  private static String fromClaudeUserId(String userId) {
    String trimmed = userId.trim();
    if (trimmed.startsWith("{")) {
      try {
        return new JsonObject(trimmed).getValue("session_id") instanceof String id
            ? bounded(id)
            : null;
      } catch (DecodeException e) {
        return null;
      }
    }
    Matcher session = CLAUDE_SESSION.matcher(trimmed);
    return session.find() ? session.group(1) : null;
  }

  private static String bounded(String id) {
    return id.length() <= MAX_LENGTH ? id : id.substring(0, MAX_LENGTH);
  }
}
