package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The canonical {@code chat.completion} → what an OpenAI client gets: the same, minus every extension key. */
public final class OpenAiResponses {

  private OpenAiResponses() {
  }

  /** The completion itself when it has no extension, else a copy without them. */
  public static JsonObject forOpenAiClient(JsonObject completion) {
    if (!Extensions.present(completion)) {
      return completion;
    }
    JsonObject out = completion.copy();
    out.remove(Canonical.EXTRA);
    if (out.getValue("usage") instanceof JsonObject usage) {
      usage.remove(Canonical.EXTRA);
    }
    if (out.getValue("choices") instanceof JsonArray choices) {
      choices.forEach(choice -> {
        if (choice instanceof JsonObject object && object.getValue("message") instanceof JsonObject message) {
          message.remove(Canonical.EXTRA);
          message.remove(Canonical.THINKING);
          if (message.getValue("tool_calls") instanceof JsonArray calls) {
            calls.forEach(call -> {
              if (call instanceof JsonObject tool) {
                tool.remove(Canonical.EXTRA);
              }
            });
          }
        }
      });
    }
    return out;
  }
}
