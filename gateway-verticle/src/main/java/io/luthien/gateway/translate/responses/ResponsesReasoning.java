package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code reasoning} items ↔ Anthropic thinking blocks on an assistant message ({@link
 * Canonical#THINKING}). The gateway's answers carry an Anthropic thinking block as a reasoning item
 * whose summary is the thinking and whose {@code encrypted_content} is its signature; sent back in
 * {@code input}, such an item becomes that thinking block again, so that an Anthropic backend gets
 * its earlier thinking with the signature it checks. An item without {@code encrypted_content}
 * cannot be verified by Anthropic and is dropped; so is every thinking block on its way to an
 * OpenAI-compatible backend, which has no place for them.
 */
final class ResponsesReasoning {

  private ResponsesReasoning() {}

  /**
   * Joins the item's thinking block to the assistant message being built (one that has no text and
   * no tool calls yet), or starts one; an item without {@code encrypted_content} adds nothing.
   */
  static void toThinking(JsonObject item, JsonArray messages) {
    String signature = JsonFields.string(item, "encrypted_content");
    if (signature == null || signature.isEmpty()) {
      return;
    }
    JsonObject block =
        new JsonObject()
            .put("type", "thinking")
            .put("thinking", text(item))
            .put("signature", signature);
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (isThinkingOnly(last)) {
      last.getJsonArray(Canonical.THINKING).add(block);
    } else {
      messages.add(
          new JsonObject()
              .put("role", Canonical.ROLE_ASSISTANT)
              .putNull("content")
              .put(Canonical.THINKING, new JsonArray().add(block)));
    }
  }

  /**
   * True for an assistant message that so far holds only thinking: the message or function call
   * items after the reasoning items join it.
   */
  static boolean isThinkingOnly(JsonObject message) {
    return message != null
        && Canonical.ROLE_ASSISTANT.equals(message.getValue("role"))
        && message.getValue("content") == null
        && message.getValue(Canonical.TOOL_CALLS) == null
        && message.getValue(Canonical.THINKING) instanceof JsonArray;
  }

  /**
   * Removes the assistant messages that got thinking and nothing else (reasoning items that no
   * answer followed): no backend takes an assistant turn with no content.
   */
  static void dropThinkingOnly(JsonArray messages) {
    List<Object> kept = new ArrayList<>();
    for (Object message : messages) {
      if (!(message instanceof JsonObject object && isThinkingOnly(object))) {
        kept.add(message);
      }
    }
    if (kept.size() < messages.size()) {
      messages.clear();
      kept.forEach(messages::add);
    }
  }

  /** The reasoning items for a canonical assistant message's signed thinking blocks. */
  static List<JsonObject> fromThinking(JsonObject message) {
    List<JsonObject> items = new ArrayList<>();
    for (JsonObject block : JsonFields.objects(JsonFields.array(message, Canonical.THINKING))) {
      String signature = JsonFields.string(block, "signature");
      if ("thinking".equals(block.getValue("type")) && signature != null) {
        items.add(
            ResponsesOutput.reasoningItem(
                null, JsonFields.string(block, "thinking"), signature, ResponsesOutput.COMPLETED));
      }
    }
    return items;
  }

  /** The summary texts (what the gateway puts there: the whole thinking), else the content's. */
  private static String text(JsonObject item) {
    StringBuilder text = new StringBuilder();
    for (JsonObject part : JsonFields.objects(JsonFields.array(item, "summary"))) {
      text.append(Objects.toString(JsonFields.string(part, "text"), ""));
    }
    if (text.length() == 0) {
      for (JsonObject part : JsonFields.objects(JsonFields.array(item, "content"))) {
        text.append(Objects.toString(JsonFields.string(part, "text"), ""));
      }
    }
    return text.toString();
  }
}
