package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A request body read as the JSON object every completion API expects; anything else is a 400
 * saying what. A body nested deeper than the limit is refused before anything parses it: parsing,
 * copying, translating and recording a request all recurse, and a body nested near Jackson's own
 * limit (1000) overflows the stack or cannot be recorded.
 */
public final class JsonRequestBody {

  private static final String PARSED = "luthien.request_body";

  private final int maxDepth;

  public JsonRequestBody(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  /**
   * The call's body, parsed once: a handler that hands the call on to another (the Responses API to
   * the completion handler) does not make it read the same bytes again.
   */
  JsonObject of(RoutingContext ctx) {
    JsonObject parsed = ctx.get(PARSED);
    if (parsed == null) {
      parsed = parse(ctx.body().buffer());
      ctx.put(PARSED, parsed);
    }
    return parsed;
  }

  JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest(
              "invalid_json", null, "request body is empty; expected a JSON object")
          .asException();
    }
    if (nestsDeeperThan(body, maxDepth)) {
      throw ApiError.invalidRequest(
              "nesting_too_deep",
              null,
              "request body is nested more than "
                  + maxDepth
                  + " levels deep (arrays and objects within each other)")
          .asException();
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiError.invalidRequest(
              "invalid_json", null, "request body is not valid JSON: " + reason(e.getMessage()))
          .asException();
    }
    if (!(decoded instanceof JsonObject request)) {
      throw ApiError.invalidRequest("invalid_json", null, "request body must be a JSON object")
          .asException();
    }
    return request;
  }

  /**
   * One linear pass over the raw bytes: {@code [} and <code>{</code> outside strings open a level.
   * A string's bytes never count (multi-byte UTF-8 bytes are all above ASCII); a malformed body is
   * left for the parser to refuse.
   */
  static boolean nestsDeeperThan(Buffer body, int limit) {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0, length = body.length(); i < length; i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        if (++depth > limit) {
          return true;
        }
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    return false;
  }

  /**
   * Jackson's first line, less what names the parser's own classes and settings (the source marker,
   * {@code `StreamReadConstraints...`}): the client needs the position, not the library.
   */
  private static String reason(String message) {
    if (message == null) {
      return "unreadable";
    }
    String reason = message.replaceFirst("^Failed to decode:", "");
    int newline = reason.indexOf('\n');
    reason = newline < 0 ? reason : reason.substring(0, newline);
    reason = reason.replaceAll("\\[Source: [^;\\]]*(\\([^)]*\\))?[^;\\]]*;", "[");
    reason = reason.replaceAll(",? ?(from )?`[^`]*`", "");
    return reason.strip();
  }
}
