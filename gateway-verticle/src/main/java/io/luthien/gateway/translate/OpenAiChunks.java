package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Canonical chunks as an OpenAI client must see them: plain {@code chat.completion.chunk} objects. */
public final class OpenAiChunks {

  private OpenAiChunks() {
  }

  /**
   * A copy of the chunk without any extension key, at any depth; null when nothing is left to say (no role, content,
   * tool call or finish reason in any choice, and no usage), as for a thinking-only delta, so the caller skips it.
   */
  public static JsonObject forOpenAiClient(JsonObject chunk) {
    JsonObject plain = (JsonObject) strip(chunk.copy());
    return saysSomething(plain) ? plain : null;
  }

  private static Object strip(Object value) {
    if (value instanceof JsonObject object) {
      object.getMap().keySet().removeIf(key -> key.startsWith(Extensions.PREFIX));
      for (Map.Entry<String, Object> entry : object) {
        strip(entry.getValue());
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        strip(item);
      }
    }
    return value;
  }

  private static boolean saysSomething(JsonObject chunk) {
    if (chunk.getValue("usage") instanceof JsonObject) {
      return true;
    }
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) {
      return false;
    }
    for (Object item : choices) {
      if (item instanceof JsonObject choice) {
        if (choice.getValue("finish_reason") != null) {
          return true;
        }
        if (choice.getValue("delta") instanceof JsonObject delta
            && delta.stream().anyMatch(entry -> entry.getValue() != null)) {
          return true;
        }
      }
    }
    return false;
  }
}
