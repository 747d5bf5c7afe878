package io.luthien.policy.api;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Chunks;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks that end a stream early ({@link ChunkVerdict#end}): the message as a last text delta,
 * then a chunk with {@code finish_reason: stop}. The gateway turns them into the client's own end
 * (OpenAI: the chunk and {@code [DONE]}; Anthropic: the block and message closed, {@code
 * stop_reason: end_turn}).
 */
public final class StreamEnding {

  private StreamEnding() {}

  /** {@code template} gives the id, creation time and model of the stream. */
  public static List<JsonObject> chunks(JsonObject template, String message) {
    String id = template == null ? "chatcmpl-luthien" : template.getString(Canonical.ID);
    long created =
        template != null && template.getValue(Canonical.CREATED) instanceof Number number
            ? number.longValue()
            : System.currentTimeMillis() / 1000;
    String model = template == null ? null : template.getString(Canonical.MODEL);
    List<JsonObject> chunks = new ArrayList<>();
    if (message != null && !message.isEmpty()) {
      chunks.add(
          Chunks.chunk(id, created, model, new JsonObject().put(Canonical.CONTENT, message), null));
    }
    chunks.add(Chunks.chunk(id, created, model, new JsonObject(), "stop"));
    return chunks;
  }
}
