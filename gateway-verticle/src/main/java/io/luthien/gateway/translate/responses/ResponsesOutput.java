package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Choices;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
import io.luthien.canonical.Messages;
import io.luthien.canonical.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Responses API's {@code response} object, whole: built from a canonical {@code
 * chat.completion} (thinking blocks → a {@code reasoning} item with the thinking as its summary,
 * Anthropic web searches → {@code web_search_call} items, text → a {@code message} item with one
 * {@code output_text} part, tool calls → {@code function_call} or {@code custom_tool_call} items),
 * and the envelope the stream events carry. The request's settings ({@code instructions}, {@code
 * tools}, {@code tool_choice}, {@code text}...) are echoed as the client sent them.
 */
public final class ResponsesOutput {

  static final String COMPLETED = "completed";
  static final String IN_PROGRESS = "in_progress";
  static final String INCOMPLETE = "incomplete";

  private ResponsesOutput() {}

  /** The response for a whole canonical answer. */
  public static JsonObject fromCanonical(
      JsonObject completion, ResponseIds ids, JsonObject clientRequest) {
    Object model = completion.getValue("model");
    JsonObject response =
        envelope(
            ids,
            completion.getValue("created") instanceof Number created
                ? created.longValue()
                : System.currentTimeMillis() / 1000,
            model instanceof String name ? name : clientRequest.getString("model"),
            clientRequest);
    JsonObject message = Completions.message(Choices.first(completion));
    JsonArray output = response.getJsonArray("output");
    if (message != null) {
      for (JsonObject block : JsonFields.objects(JsonFields.array(message, Canonical.THINKING))) {
        if ("thinking".equals(block.getValue("type"))) {
          output.add(
              reasoningItem(
                  ids.item(output.size()),
                  JsonFields.string(block, "thinking"),
                  wantsEncryptedReasoning(clientRequest)
                      ? JsonFields.string(block, "signature")
                      : null,
                  COMPLETED));
        }
      }
      WebSearchCalls.fromBlocks(keptBlocks(message), ids, output);
      String text = Messages.text(message);
      String refusal = JsonFields.string(message, Canonical.REFUSAL);
      if ((text != null && !text.isEmpty()) || refusal != null) {
        JsonObject item = messageItem(ids.item(output.size()), text, COMPLETED);
        if (refusal != null) {
          item.getJsonArray("content")
              .add(new JsonObject().put("type", "refusal").put("refusal", refusal));
        }
        output.add(item);
      }
      ClientTools tools = new ClientTools(clientRequest);
      for (JsonObject call : JsonFields.objects(JsonFields.array(message, Canonical.TOOL_CALLS))) {
        JsonObject function = JsonFields.object(call, "function");
        output.add(
            tools.callItem(
                ids.item(output.size()),
                JsonFields.string(call, "id"),
                JsonFields.string(function, "name"),
                JsonFields.string(function, "arguments"),
                COMPLETED));
      }
    }
    finish(response, Completions.finishReason(completion), completion.getJsonObject("usage"));
    return response;
  }

  /** The Anthropic blocks a message kept because chat completions cannot show them, or none. */
  private static JsonArray keptBlocks(JsonObject message) {
    return JsonFields.array(JsonFields.object(message, Canonical.EXTRA), "content");
  }

  /**
   * A response in progress, with no output yet: what {@code response.created} carries, and the
   * start of every response.
   */
  static JsonObject envelope(
      ResponseIds ids, long createdAt, String model, JsonObject clientRequest) {
    JsonObject text = JsonFields.object(clientRequest, "text");
    return new JsonObject()
        .put("id", ids.responseId())
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", IN_PROGRESS)
        .put("background", false)
        .putNull("error")
        .putNull("incomplete_details")
        .put("instructions", clientRequest.getValue("instructions"))
        .put("max_output_tokens", clientRequest.getValue("max_output_tokens"))
        .put("model", model)
        .put("output", new JsonArray())
        .put("parallel_tool_calls", clientRequest.getBoolean("parallel_tool_calls", true))
        .put("previous_response_id", clientRequest.getValue("previous_response_id"))
        .put("prompt_cache_key", clientRequest.getValue("prompt_cache_key"))
        .put(
            "reasoning",
            JsonFields.object(clientRequest, "reasoning") != null
                ? clientRequest.getJsonObject("reasoning").copy()
                : new JsonObject().putNull("effort").putNull("summary"))
        .put("store", clientRequest.getBoolean("store", true))
        .put("temperature", clientRequest.getValue("temperature"))
        .put(
            "text",
            text != null && text.containsKey("format")
                ? text.copy()
                : new JsonObject().put("format", new JsonObject().put("type", "text")))
        .put("tool_choice", JsonFields.copy(clientRequest.getValue("tool_choice", "auto")))
        .put(
            "tools",
            clientRequest.getValue("tools") instanceof JsonArray tools
                ? tools.copy()
                : new JsonArray())
        .put("top_p", clientRequest.getValue("top_p"))
        .put("truncation", clientRequest.getValue("truncation", "disabled"))
        .putNull("usage")
        .put("user", clientRequest.getValue("user"))
        .put(
            "metadata",
            clientRequest.getValue("metadata") instanceof JsonObject metadata
                ? metadata.copy()
                : new JsonObject());
  }

  /**
   * Sets the final status from the canonical finish reason ({@code length} → {@code incomplete},
   * {@code max_output_tokens}; {@code content_filter} → {@code incomplete}, {@code
   * content_filter}), and the usage.
   */
  static void finish(JsonObject response, String finishReason, JsonObject canonicalUsage) {
    String reason =
        "length".equals(finishReason)
            ? "max_output_tokens"
            : "content_filter".equals(finishReason) ? "content_filter" : null;
    response.put("status", reason == null ? COMPLETED : INCOMPLETE);
    response.put(
        "incomplete_details", reason == null ? null : new JsonObject().put("reason", reason));
    response.put("usage", canonicalUsage == null ? null : usage(canonicalUsage));
  }

  /** A canonical {@code usage} in the Responses API's terms. */
  static JsonObject usage(JsonObject canonicalUsage) {
    Usage usage = Usage.of(canonicalUsage);
    long reasoning =
        JsonFields.number(
            JsonFields.object(canonicalUsage, "completion_tokens_details"), "reasoning_tokens");
    return new JsonObject()
        .put("input_tokens", usage.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", usage.cachedTokens()))
        .put("output_tokens", usage.completionTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", reasoning))
        .put("total_tokens", usage.totalTokens());
  }

  static JsonObject messageItem(String id, String text, String status) {
    JsonArray content = new JsonArray();
    if (text != null && !text.isEmpty()) {
      content.add(outputText(text));
    }
    JsonObject item = new JsonObject();
    if (id != null) {
      item.put("id", id);
    }
    return item.put("type", "message")
        .put("status", status)
        .put("role", "assistant")
        .put("content", content);
  }

  static JsonObject outputText(String text) {
    return new JsonObject()
        .put("type", "output_text")
        .put("text", text)
        .put("annotations", new JsonArray())
        .put("logprobs", new JsonArray());
  }

  static JsonObject functionCallItem(
      String id, String callId, String name, String arguments, String status) {
    JsonObject item = new JsonObject();
    if (id != null) {
      item.put("id", id);
    }
    return item.put("type", "function_call")
        .put("status", status)
        .put("call_id", callId)
        .put("name", name)
        .put("arguments", arguments == null ? "" : arguments);
  }

  static JsonObject reasoningItem(String id, String summary, String encrypted, String status) {
    JsonArray parts = new JsonArray();
    if (summary != null && !summary.isEmpty()) {
      parts.add(summaryText(summary));
    }
    JsonObject item = new JsonObject();
    if (id != null) {
      item.put("id", id);
    }
    item.put("type", "reasoning").put("summary", parts);
    if (encrypted != null && !encrypted.isEmpty()) {
      item.put("encrypted_content", encrypted);
    }
    return item.put("status", status);
  }

  static JsonObject summaryText(String text) {
    return new JsonObject().put("type", "summary_text").put("text", text);
  }

  static boolean wantsEncryptedReasoning(JsonObject clientRequest) {
    return clientRequest.getValue("include") instanceof JsonArray include
        && include.contains("reasoning.encrypted_content");
  }
}
