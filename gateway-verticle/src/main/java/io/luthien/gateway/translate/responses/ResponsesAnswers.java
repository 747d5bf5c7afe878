package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Completions;
import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses API backend's answer in the canonical shape, for the policy and for clients of the
 * other APIs: the text of its {@code message} items (a {@code refusal} part as the refusal), its
 * {@code function_call} items as tool calls ({@code call_id} the tool call's id), a {@code
 * custom_tool_call} as a call of the function the custom tool became, {@code incomplete} as finish
 * reason {@code length} or {@code content_filter}. Reasoning and built-in tool items (web search,
 * file search, code interpreter…) have no canonical form and stay out.
 */
public final class ResponsesAnswers {

  private ResponsesAnswers() {}

  public static JsonObject toCanonical(JsonObject response) {
    StringBuilder text = new StringBuilder();
    String refusal = null;
    JsonArray toolCalls = new JsonArray();
    for (JsonObject item : JsonFields.objects(JsonFields.array(response, "output"))) {
      switch (String.valueOf(item.getValue("type"))) {
        case "message" -> {
          for (JsonObject part : JsonFields.objects(JsonFields.array(item, "content"))) {
            if (part.getValue("text") instanceof String piece) {
              text.append(piece);
            } else if (part.getValue("refusal") instanceof String refused) {
              refusal = refused;
            }
          }
        }
        case "function_call" ->
            toolCalls.add(
                toolCall(
                    item.getValue("call_id"),
                    item.getValue("name"),
                    JsonFields.string(item, "arguments")));
        case "custom_tool_call" ->
            toolCalls.add(
                toolCall(
                    item.getValue("call_id"),
                    item.getValue("name"),
                    CustomTools.arguments(item.getValue("input"))));
        default -> {} // reasoning and the provider's own tools: no canonical form
      }
    }
    JsonObject message =
        new JsonObject()
            .put(Canonical.ROLE, Canonical.ROLE_ASSISTANT)
            .put(Canonical.CONTENT, text.isEmpty() && refusal != null ? null : text.toString());
    if (refusal != null) {
      message.put(Canonical.REFUSAL, refusal);
    }
    if (!toolCalls.isEmpty()) {
      message.put(Canonical.TOOL_CALLS, toolCalls);
    }
    JsonObject completion =
        Completions.completion(
            JsonFields.string(response, "id"),
            JsonFields.number(response, "created_at"),
            JsonFields.string(response, "model"),
            Completions.choice(0, message, finishReason(response, !toolCalls.isEmpty())));
    JsonObject usage = usage(JsonFields.object(response, "usage"));
    if (usage != null) {
      completion.put(Canonical.USAGE, usage);
    }
    return completion;
  }

  static JsonObject toolCall(Object callId, Object name, String arguments) {
    return new JsonObject()
        .put("id", callId)
        .put("type", Canonical.TOOL_TYPE_FUNCTION)
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  /**
   * {@code incomplete} because of the token limit is {@code length}, because of a content filter
   * {@code content_filter}; a finished answer with tool calls {@code tool_calls}, else {@code
   * stop}.
   */
  static String finishReason(JsonObject response, boolean toolCalls) {
    if (ResponsesOutput.INCOMPLETE.equals(response.getValue("status"))) {
      String reason =
          JsonFields.string(JsonFields.object(response, "incomplete_details"), "reason");
      return "content_filter".equals(reason) ? "content_filter" : "length";
    }
    return toolCalls ? "tool_calls" : "stop";
  }

  /** The Responses API's usage in chat completions' terms; null when there is none. */
  static JsonObject usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    long input = JsonFields.number(usage, "input_tokens");
    long output = JsonFields.number(usage, "output_tokens");
    return new JsonObject()
        .put("prompt_tokens", input)
        .put("completion_tokens", output)
        .put(
            "total_tokens",
            usage.getValue("total_tokens") instanceof Number total
                ? total.longValue()
                : input + output)
        .put(
            "prompt_tokens_details",
            new JsonObject()
                .put(
                    "cached_tokens",
                    JsonFields.number(
                        JsonFields.object(usage, "input_tokens_details"), "cached_tokens")))
        .put(
            "completion_tokens_details",
            new JsonObject()
                .put(
                    "reasoning_tokens",
                    JsonFields.number(
                        JsonFields.object(usage, "output_tokens_details"), "reasoning_tokens")));
  }
}
