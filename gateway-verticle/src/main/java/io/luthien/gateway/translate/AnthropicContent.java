package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Anthropic content blocks ↔ canonical content parts. Text and image blocks become OpenAI parts
 * (their extra keys, such as {@code cache_control}, ride along under {@link Canonical#EXTRA});
 * every other block is kept whole in a {@link Canonical#BLOCK_PART} part, so that nothing is lost
 * on the way to an Anthropic backend.
 */
final class AnthropicContent {

  private static final Set<String> TEXT_KEYS = Set.of("type", "text");
  private static final Set<String> IMAGE_KEYS = Set.of("type", "source");
  private static final String BASE64_MARK = ";base64,";

  private AnthropicContent() {}

  /** A string stays a string; an array of blocks becomes an array of parts. */
  static Object toCanonical(Object content) {
    if (!(content instanceof JsonArray blocks)) {
      return content;
    }
    JsonArray parts = new JsonArray();
    for (Object block : blocks) {
      parts.add(block instanceof JsonObject object ? toPart(object) : block);
    }
    return parts;
  }

  /**
   * A string stays a string; an array of parts becomes an array of blocks; {@code where} names it
   * in errors.
   */
  static Object toAnthropic(Object content, String where) {
    if (!(content instanceof JsonArray parts)) {
      return content;
    }
    JsonArray blocks = new JsonArray();
    for (int j = 0; j < parts.size(); j++) {
      Object part = parts.getValue(j);
      blocks.add(
          part instanceof JsonObject object
              ? toBlock(object, where + ".content[" + j + "]")
              : part);
    }
    return blocks;
  }

  static JsonObject toPart(JsonObject block) {
    String type = JsonFields.string(block, "type");
    if ("text".equals(type) && block.getValue("text") instanceof String text) {
      return Extensions.withExtras(
          new JsonObject().put("type", "text").put("text", text), block, TEXT_KEYS);
    }
    if ("image".equals(type)) {
      String url = imageUrl(JsonFields.object(block, "source"));
      if (url != null) {
        JsonObject part =
            new JsonObject()
                .put("type", "image_url")
                .put("image_url", new JsonObject().put("url", url));
        return Extensions.withExtras(part, block, IMAGE_KEYS);
      }
    }
    return new JsonObject().put("type", Canonical.BLOCK_PART).put("block", block.copy());
  }

  static JsonObject toBlock(JsonObject part, String where) {
    String type = JsonFields.string(part, "type");
    if ("text".equals(type)) {
      return Extensions.restoreExtras(
          new JsonObject().put("type", "text").put("text", part.getValue("text")), part);
    }
    if ("image_url".equals(type)) {
      Object image = part.getValue("image_url");
      Object url = image instanceof JsonObject object ? object.getValue("url") : image;
      JsonObject block =
          new JsonObject().put("type", "image").put("source", imageSource(url, where));
      return Extensions.restoreExtras(block, part);
    }
    if (Canonical.BLOCK_PART.equals(type) && part.getValue("block") instanceof JsonObject block) {
      return block.copy();
    }
    throw ApiError.invalidRequest(
            "unsupported_content_part",
            where + ".type",
            "content part type '" + type + "' cannot be translated to the Anthropic format")
        .asException();
  }

  /**
   * The OpenAI url of an Anthropic image source, or null when it has no OpenAI form (a file id,
   * say).
   */
  private static String imageUrl(JsonObject source) {
    if (source == null) {
      return null;
    }
    String type = JsonFields.string(source, "type");
    if ("base64".equals(type)
        && source.size() == 3
        && source.getValue("media_type") instanceof String mediaType
        && source.getValue("data") instanceof String data) {
      return "data:" + mediaType + BASE64_MARK + data;
    }
    if ("url".equals(type) && source.size() == 2 && source.getValue("url") instanceof String url) {
      return url;
    }
    return null;
  }

  private static JsonObject imageSource(Object url, String where) {
    if (!(url instanceof String text)) {
      throw ApiError.invalidRequest(
              "invalid_image_url",
              where + ".image_url.url",
              "'" + where + ".image_url.url' must be a string")
          .asException();
    }
    if (!text.startsWith("data:")) {
      return new JsonObject().put("type", "url").put("url", text);
    }
    int mark = text.indexOf(BASE64_MARK);
    if (mark < 0) {
      throw ApiError.invalidRequest(
              "invalid_image_url",
              where + ".image_url.url",
              "image data URLs must be base64-encoded (data:<media type>;base64,<data>)")
          .asException();
    }
    return new JsonObject()
        .put("type", "base64")
        .put("media_type", text.substring("data:".length(), mark))
        .put("data", text.substring(mark + BASE64_MARK.length()));
  }
}
