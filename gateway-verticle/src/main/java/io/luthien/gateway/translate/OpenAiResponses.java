package io.luthien.gateway.translate;

import io.luthien.canonical.Extensions;
import io.vertx.core.json.JsonObject;

/**
 * The canonical {@code chat.completion} → what an OpenAI client gets: the same, minus every
 * extension key.
 */
public final class OpenAiResponses {

  private OpenAiResponses() {}

  /** The completion itself when it has no extension, else a copy without any, at any depth. */
  public static JsonObject forOpenAiClient(JsonObject completion) {
    return Extensions.stripped(completion);
  }
}
