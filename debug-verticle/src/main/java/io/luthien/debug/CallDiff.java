package io.luthien.debug;

import static io.luthien.shared.Fields.FINAL;
import static io.luthien.shared.Fields.ORIGINAL;
import static io.luthien.shared.Fields.REQUEST;
import static io.luthien.shared.Fields.RESPONSE;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonDiff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

/**
 * What the policy changed in one recorded call, computed from the call's recorded {@code request}
 * event payload ({original, final, blocked?}) and {@code response} event payload ({original, final,
 * status, error?}).
 *
 * <p>The result is the contract of the debug API's diff endpoint and of the browser page that draws
 * it:
 *
 * <pre>
 * {request:  {original, final, changed, blocked, messages: [{index, status, original, final}],
 *             parameters: [{name, status, original, final}]},
 *  response: {original, final, changed, status, error,
 *             choices: [{index, status, content: {original, final, changed}, tool_calls: {...},
 *                        finish_reason: {...}}]},
 *  json_patch: {request: [RFC 6902 ops], response: [RFC 6902 ops]}}
 * </pre>
 *
 * where a {@code status} is {@code unchanged}, {@code changed}, {@code added} or {@code removed}.
 */
public final class CallDiff {

  static final String UNCHANGED = "unchanged";
  static final String CHANGED = "changed";
  static final String ADDED = "added";
  static final String REMOVED = "removed";

  private CallDiff() {}

  /**
   * The diff of one call; either payload may be null (a blocked call has no response, a lost event
   * no payload).
   */
  public static JsonObject compute(JsonObject requestPayload, JsonObject responsePayload) {
    JsonObject request = requestPayload == null ? new JsonObject() : requestPayload;
    JsonObject response = responsePayload == null ? new JsonObject() : responsePayload;
    JsonObject diff =
        new JsonObject()
            .put(REQUEST, RequestDiff.of(request))
            .put(RESPONSE, ResponseDiff.of(response))
            .put(
                "json_patch",
                new JsonObject()
                    .put(
                        REQUEST,
                        jsonPatch(request.getJsonObject(ORIGINAL), request.getJsonObject(FINAL)))
                    .put(
                        RESPONSE,
                        jsonPatch(
                            response.getJsonObject(ORIGINAL), response.getJsonObject(FINAL))));
    // Until here the diff shares objects with the payloads; a deep copy lets callers edit it
    // without touching them.
    return diff.copy();
  }

  /**
   * The status of one item that is {@code inOriginal} and/or {@code inFinal}, the two sides being
   * {@code same}.
   */
  static String status(boolean inOriginal, boolean inFinal, boolean same) {
    if (!inOriginal) {
      return ADDED;
    }
    if (!inFinal) {
      return REMOVED;
    }
    return same ? UNCHANGED : CHANGED;
  }

  /**
   * JSON equality of any two values, where an Integer 100 and a Long 100 are the same number, as on
   * the wire.
   */
  static boolean sameJson(Object original, Object revised) {
    return new JsonArray().add(original).equals(new JsonArray().add(revised));
  }

  /** One side-by-side entry {original, final, changed} of a value both sides may lack. */
  static JsonObject sideBySide(Object original, Object revised) {
    return new JsonObject()
        .put(ORIGINAL, original)
        .put(FINAL, revised)
        .put("changed", !sameJson(original, revised));
  }

  private static JsonArray jsonPatch(JsonObject original, JsonObject revised) {
    if (original == null || revised == null) {
      return new JsonArray();
    }
    JsonNode patch = JsonDiff.asJson(asWireTree(original), asWireTree(revised));
    return DatabindCodec.mapper().convertValue(patch, JsonArray.class);
  }

  /**
   * Jackson's tree of the encoded JSON, so that an Integer 100 and a Long 100 are one node type, as
   * on the wire.
   */
  private static JsonNode asWireTree(JsonObject json) {
    return DatabindCodec.fromParser(DatabindCodec.createParser(json.encode()), JsonNode.class);
  }
}
