package io.luthien.gateway.upstream;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An estimate of an Anthropic Messages request's input tokens, for models whose provider cannot
 * count them (an OpenAI-compatible backend, the mock): the text is counted with the model's OpenAI
 * tokenizer (jtokkit; o200k_base for a model it does not know), plus the per-message framing OpenAI
 * documents for its chat format. Images and documents count {@link #MEDIA_TOKENS} each. Encodings
 * load on first use: call it off the event loop.
 */
public final class TokenEstimator {

  /**
   * Framing tokens around each message, and those that prime the answer (OpenAI's cookbook
   * figures).
   */
  private static final int PER_MESSAGE = 3;

  private static final int REPLY_PRIMING = 3;

  /**
   * Anthropic's figure for its largest image (about 1.15 megapixels, ~1,600 tokens): an upper bound
   * per medium.
   */
  static final int MEDIA_TOKENS = 1_600;

  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

  public long inputTokens(String model, JsonObject request) {
    Encoding encoding =
        registry
            .getEncodingForModel(model)
            .orElseGet(() -> registry.getEncoding(EncodingType.O200K_BASE));
    long tokens = REPLY_PRIMING + content(encoding, request.getValue("system"));
    if (request.getValue("messages") instanceof JsonArray messages) {
      for (Object value : messages) {
        if (value instanceof JsonObject message) {
          tokens +=
              PER_MESSAGE
                  + text(encoding, message.getValue("role"))
                  + content(encoding, message.getValue("content"));
        }
      }
    }
    if (request.getValue("tools") instanceof JsonArray tools) {
      tokens += encoding.countTokensOrdinary(tools.encode());
    }
    return tokens;
  }

  private static long content(Encoding encoding, Object content) {
    if (content instanceof JsonArray blocks) {
      long tokens = 0;
      for (Object block : blocks) {
        tokens +=
            block instanceof JsonObject object ? block(encoding, object) : text(encoding, block);
      }
      return tokens;
    }
    return text(encoding, content);
  }

  private static long block(Encoding encoding, JsonObject block) {
    return switch (String.valueOf(block.getValue("type"))) {
      case "text" -> text(encoding, block.getValue("text"));
      case "thinking" -> text(encoding, block.getValue("thinking"));
      case "tool_use" ->
          text(encoding, block.getValue("name")) + json(encoding, block.getValue("input"));
      case "tool_result" -> content(encoding, block.getValue("content"));
      case "image", "document" -> MEDIA_TOKENS;
      default -> encoding.countTokensOrdinary(block.encode());
    };
  }

  private static long json(Encoding encoding, Object value) {
    if (value instanceof JsonObject object) {
      return encoding.countTokensOrdinary(object.encode());
    }
    return value instanceof JsonArray array
        ? encoding.countTokensOrdinary(array.encode())
        : text(encoding, value);
  }

  private static long text(Encoding encoding, Object value) {
    return value instanceof String text ? encoding.countTokensOrdinary(text) : 0;
  }
}
