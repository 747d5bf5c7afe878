package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Chunks;
import io.luthien.canonical.Extensions;
import io.vertx.core.json.JsonObject;

/**
 * Canonical chunks as an OpenAI client must see them: plain {@code chat.completion.chunk} objects.
 */
public final class OpenAiChunks {

  private OpenAiChunks() {}

  /**
   * The chunk without any extension key, at any depth: the chunk itself when it has none, else a
   * copy. Null when nothing is left to say (no finish reason and no delta field with a value in any
   * choice, and no usage), as for a thinking-only delta, so the caller skips it.
   */
  public static JsonObject forOpenAiClient(JsonObject chunk) {
    return forOpenAiClient(chunk, true);
  }

  /**
   * As {@link #forOpenAiClient(JsonObject)}, and without {@code usage} unless {@code includeUsage}:
   * a client that did not ask for usage gets none, and the usage-only chunk that ends an Anthropic
   * backend's stream is skipped.
   */
  public static JsonObject forOpenAiClient(JsonObject chunk, boolean includeUsage) {
    JsonObject plain = Extensions.stripped(chunk);
    if (!includeUsage && plain.containsKey(Canonical.USAGE)) {
      plain = plain.copy();
      plain.remove(Canonical.USAGE);
    }
    return saysSomething(plain) ? plain : null;
  }

  /**
   * Any delta field counts, not only role, content and tool calls: OpenAI-compatible servers add
   * their own.
   */
  private static boolean saysSomething(JsonObject chunk) {
    if (Chunks.usage(chunk) != null) {
      return true;
    }
    for (JsonObject choice : Choices.of(chunk)) {
      if (Choices.finishReason(choice) != null) {
        return true;
      }
      JsonObject delta = Chunks.delta(choice);
      if (delta != null && delta.stream().anyMatch(entry -> entry.getValue() != null)) {
        return true;
      }
    }
    return false;
  }
}
