package io.luthien.canonical;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * A message's or delta's {@code content}: a string, or an array of parts. The text of parts content
 * is that of every part with a {@code text} string, joined; rewriting edits exactly those parts, so
 * what a reader sees is what an edit reaches.
 */
final class Content {

  private Content() {}

  /** The text, or null when the content is neither a string nor parts. */
  static String text(Object content) {
    if (content instanceof String text) {
      return text;
    }
    if (!(content instanceof JsonArray parts)) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (JsonObject part : JsonFields.objects(parts)) {
      if (part.getValue(Canonical.TEXT) instanceof String piece) {
        text.append(piece);
      }
    }
    return text.toString();
  }

  /**
   * Rewrites the text of {@code holder}'s content in place; a holder without content is left
   * without one.
   */
  static void mapText(JsonObject holder, UnaryOperator<String> edit) {
    if (holder == null) {
      return;
    }
    Object content = holder.getValue(Canonical.CONTENT);
    if (content instanceof String text) {
      holder.put(Canonical.CONTENT, edit.apply(text));
    } else if (content instanceof JsonArray parts) {
      for (JsonObject part : JsonFields.objects(parts)) {
        if (part.getValue(Canonical.TEXT) instanceof String text) {
          part.put(Canonical.TEXT, edit.apply(text));
        }
      }
    }
  }
}
