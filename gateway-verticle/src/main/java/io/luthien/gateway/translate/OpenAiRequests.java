package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The canonical request → the request for an OpenAI-compatible backend: the canonical shape minus
 * its extensions.
 */
public final class OpenAiRequests {

  private OpenAiRequests() {}

  /**
   * Removes every extension key and drops thinking blocks (OpenAI has no form for them); any other
   * kept Anthropic block is refused with a 400 naming its type. Fields this class does not know
   * pass unchanged; a request without any extension is returned as it is, not copied.
   */
  public static JsonObject forOpenAiBackend(JsonObject canonical) {
    if (!Extensions.present(canonical)) {
      return canonical;
    }
    JsonObject out = canonical.copy();
    out.remove(Canonical.EXTRA);
    out.remove(Canonical.HEADERS);
    out.remove(Canonical.QUERY);
    if (out.getValue("tools") instanceof JsonArray tools) {
      removeExtras(tools);
    }
    if (out.getValue("messages") instanceof JsonArray messages) {
      for (int i = 0; i < messages.size(); i++) {
        if (messages.getValue(i) instanceof JsonObject message) {
          strip(message, i);
        }
      }
    }
    return out;
  }

  private static void strip(JsonObject message, int i) {
    message.remove(Canonical.EXTRA);
    message.remove(Canonical.THINKING);
    message.remove(Canonical.IN_MESSAGES);
    boolean hasToolCalls =
        message.getValue("tool_calls") instanceof JsonArray calls && !calls.isEmpty();
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      removeExtras(calls);
    }
    if (!(message.getValue("content") instanceof JsonArray parts)) {
      return;
    }
    JsonArray kept = new JsonArray();
    for (int j = 0; j < parts.size(); j++) {
      Object part = parts.getValue(j);
      if (!(part instanceof JsonObject object)
          || !Canonical.BLOCK_PART.equals(object.getValue("type"))) {
        if (part instanceof JsonObject object) {
          object.remove(Canonical.EXTRA);
        }
        kept.add(part);
      } else if (!isThinking(object.getValue("block"))) {
        String type = JsonFields.string(JsonFields.object(object, "block"), "type");
        throw ApiError.invalidRequest(
                "unsupported_content_block",
                "messages[" + i + "].content[" + j + "].type",
                "content block type '" + type + "' cannot be translated to the OpenAI format")
            .asException();
      }
    }
    boolean emptied = kept.isEmpty() && !parts.isEmpty();
    if (!emptied) {
      message.put("content", kept);
    } else {
      message.put("content", hasToolCalls ? null : "");
    }
  }

  private static boolean isThinking(Object block) {
    Object type = block instanceof JsonObject object ? object.getValue("type") : null;
    return "thinking".equals(type) || "redacted_thinking".equals(type);
  }

  private static void removeExtras(JsonArray objects) {
    objects.forEach(
        value -> {
          if (value instanceof JsonObject object) {
            object.remove(Canonical.EXTRA);
          }
        });
  }
}
