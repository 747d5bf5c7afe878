package io.luthien.gateway.trial;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Completions;
import io.luthien.canonical.Messages;
import io.luthien.canonical.ToolCall;
import io.luthien.canonical.ToolCallDelta;
import io.luthien.canonical.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole canonical answer cut back into the stream a provider would have sent, for replaying a
 * recorded streamed call through a policy: per choice an opening chunk with the role, the text a
 * few words at a time, the refusal, each tool call (its id and name, then its arguments in pieces),
 * the finish reason; then the usage, when the answer has one. {@link
 * io.luthien.canonical.ChunkAccumulator} adds these chunks up to the same answer. Anthropic
 * thinking blocks are not replayed: the accumulator does not keep them either, so a recorded stream
 * has none.
 */
final class ReplayChunks {

  static final int WORDS_PER_CHUNK = 3;
  static final int ARGUMENT_CHARS_PER_CHUNK = 16;

  private ReplayChunks() {}

  static List<JsonObject> of(JsonObject completion) {
    String id = completion.getString(Canonical.ID, "chatcmpl-replay");
    long created = completion.getLong(Canonical.CREATED, 0L);
    String model = completion.getString(Canonical.MODEL);
    List<JsonObject> chunks = new ArrayList<>();
    List<JsonObject> choices = Choices.of(completion);
    for (int position = 0; position < choices.size(); position++) {
      JsonObject choice = choices.get(position);
      int index = Choices.index(choice, position);
      for (JsonObject delta : deltas(Completions.message(choice))) {
        chunks.add(chunk(id, created, model, index, delta, null));
      }
      chunks.add(chunk(id, created, model, index, new JsonObject(), Choices.finishReason(choice)));
    }
    if (completion.getValue(Canonical.USAGE) instanceof JsonObject usage) {
      // the usage as it came, with whatever details it holds beyond the token counts
      chunks.add(
          Chunks.usageChunk(id, created, model, Usage.of(usage))
              .put(Canonical.USAGE, usage.copy()));
    }
    return chunks;
  }

  private static List<JsonObject> deltas(JsonObject message) {
    List<JsonObject> deltas = new ArrayList<>();
    deltas.add(
        new JsonObject().put(Canonical.ROLE, Canonical.ROLE_ASSISTANT).put(Canonical.CONTENT, ""));
    if (message == null) {
      return deltas;
    }
    String text = Messages.text(message);
    for (String piece : wordGroups(text == null ? "" : text)) {
      deltas.add(new JsonObject().put(Canonical.CONTENT, piece));
    }
    if (message.getValue(Canonical.REFUSAL) instanceof String refusal) {
      deltas.add(new JsonObject().put(Canonical.REFUSAL, refusal));
    }
    List<ToolCall> calls = Messages.toolCalls(message);
    for (int index = 0; index < calls.size(); index++) {
      ToolCall call = calls.get(index);
      deltas.add(toolCallDelta(new ToolCallDelta(index, call.id(), call.name(), "")));
      for (String piece : pieces(call.arguments() == null ? "" : call.arguments())) {
        deltas.add(toolCallDelta(new ToolCallDelta(index, null, null, piece)));
      }
    }
    return deltas;
  }

  private static JsonObject toolCallDelta(ToolCallDelta fragment) {
    return new JsonObject().put(Canonical.TOOL_CALLS, new JsonArray().add(fragment.toJson()));
  }

  private static JsonObject chunk(
      String id, long created, String model, int index, JsonObject delta, String finishReason) {
    JsonObject chunk = Chunks.chunk(id, created, model, delta, finishReason);
    chunk.getJsonArray(Canonical.CHOICES).getJsonObject(0).put(Canonical.INDEX, index);
    return chunk;
  }

  /**
   * The text in groups of a few words, each word with the whitespace after it, so the groups join
   * back to the text.
   */
  static List<String> wordGroups(String text) {
    List<String> groups = new ArrayList<>();
    int start = 0;
    int words = 0;
    for (int i = 1; i <= text.length(); i++) {
      boolean wordEnds =
          i == text.length()
              || (Character.isWhitespace(text.charAt(i - 1))
                  && !Character.isWhitespace(text.charAt(i)));
      if (wordEnds && (++words == WORDS_PER_CHUNK || i == text.length())) {
        groups.add(text.substring(start, i));
        start = i;
        words = 0;
      }
    }
    return groups;
  }

  /** Arguments in pieces of a few characters, never splitting a surrogate pair. */
  private static List<String> pieces(String arguments) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < arguments.length()) {
      int end = Math.min(start + ARGUMENT_CHARS_PER_CHUNK, arguments.length());
      if (end < arguments.length() && Character.isHighSurrogate(arguments.charAt(end - 1))) {
        end++;
      }
      pieces.add(arguments.substring(start, end));
      start = end;
    }
    return pieces;
  }
}
