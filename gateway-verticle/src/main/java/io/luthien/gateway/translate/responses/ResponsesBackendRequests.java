package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The Responses requests a Responses API backend gets. A Responses client's call goes as the
 * client's own request, with what the policy changed in the canonical request written back into the
 * fields that carry it; everything else (reasoning, include, store, the provider's own tools,
 * reasoning and built-in tool items in an unchanged input…) goes as the client sent it. A call of
 * another API goes as its canonical request in Responses form.
 */
public final class ResponsesBackendRequests {

  /** What a Responses backend takes of a chat completions request, besides what is translated. */
  private static final Set<String> SHARED =
      Set.of(
          "model",
          "stream",
          "temperature",
          "top_p",
          "parallel_tool_calls",
          "store",
          "metadata",
          "user",
          "prompt_cache_key",
          "safety_identifier",
          "service_tier",
          "instructions",
          "input",
          "tools",
          "tool_choice",
          "text",
          "max_output_tokens",
          "reasoning");

  private ResponsesBackendRequests() {}

  /**
   * {@code clientRequest} with the policy's changes: each canonical field whose final value differs
   * from {@code originalCanonical}'s is written back (messages → {@code instructions} and {@code
   * input}, tools → the function tools beside the client's built-in ones, {@code max_tokens} →
   * {@code max_output_tokens}, {@code response_format} / {@code verbosity} → {@code text}, {@code
   * reasoning_effort} → {@code reasoning.effort}, a shared field as it is); unchanged ones stay as
   * the client wrote them.
   */
  public static JsonObject passedThrough(
      JsonObject clientRequest, JsonObject originalCanonical, JsonObject finalCanonical) {
    JsonObject out = clientRequest.copy();
    out.remove("previous_response_id");
    out.put("model", finalCanonical.getValue("model"));
    if (finalCanonical.equals(originalCanonical)) {
      return out;
    }
    JsonObject rebuilt = ResponsesRequests.fromCanonical(finalCanonical, clientRequest);
    Set<String> keys = new LinkedHashSet<>(originalCanonical.fieldNames());
    keys.addAll(finalCanonical.fieldNames());
    for (String key : keys) {
      if (Objects.equals(originalCanonical.getValue(key), finalCanonical.getValue(key))) {
        continue;
      }
      switch (key) {
        case Canonical.MESSAGES -> {
          out.remove("instructions");
          copy(rebuilt, out, "instructions");
          copy(rebuilt, out, "input");
        }
        case "tools" -> out.put("tools", tools(rebuilt, clientRequest));
        case "tool_choice" -> copy(rebuilt, out, "tool_choice");
        case "max_tokens" -> copy(rebuilt, out, "max_output_tokens");
        case "response_format", "verbosity" -> copy(rebuilt, out, "text");
        case "reasoning_effort" -> copy(rebuilt, out, "reasoning");
        case "stream_options", "model", Canonical.EXTRA -> {}
        default -> copy(finalCanonical, out, key);
      }
    }
    return out;
  }

  /**
   * A canonical request (from a chat completions or Anthropic client, or a policy's model call) as
   * a Responses request: only what the Responses API takes; {@code max_completion_tokens} as {@code
   * max_output_tokens}.
   */
  public static JsonObject fromChat(JsonObject canonical) {
    JsonObject rebuilt = ResponsesRequests.fromCanonical(canonical, new JsonObject());
    if (!rebuilt.containsKey("max_output_tokens")
        && canonical.getValue("max_completion_tokens") instanceof Number max) {
      rebuilt.put("max_output_tokens", max);
    }
    JsonObject out = new JsonObject();
    rebuilt.forEach(
        entry -> {
          if (SHARED.contains(entry.getKey()) && entry.getValue() != null) {
            out.put(entry.getKey(), entry.getValue());
          }
        });
    return out;
  }

  /**
   * A request that continues {@code previousRequest}'s answer {@code previousResponse} (both as
   * recorded, in Responses form): its input is the previous input, the previous answer's output
   * items as they came (reasoning and built-in tool items included), then its own input; {@code
   * previous_response_id} is gone.
   */
  public static JsonObject continuing(
      JsonObject request, JsonObject previousRequest, JsonObject previousResponse) {
    JsonArray input = items(previousRequest.getValue("input"));
    JsonFields.objects(JsonFields.array(previousResponse, "output"))
        .forEach(item -> input.add(item.copy()));
    items(request.getValue("input")).forEach(input::add);
    JsonObject out = request.copy().put("input", input);
    out.remove("previous_response_id");
    return out;
  }

  private static JsonArray items(Object input) {
    if (input instanceof String text) {
      return new JsonArray()
          .add(new JsonObject().put("type", "message").put("role", "user").put("content", text));
    }
    return input instanceof JsonArray items ? items.copy() : new JsonArray();
  }

  /** The policy's function tools, then the client's tools the provider runs itself. */
  private static JsonArray tools(JsonObject rebuilt, JsonObject clientRequest) {
    JsonArray tools =
        rebuilt.getValue("tools") instanceof JsonArray functions ? functions : new JsonArray();
    for (JsonObject tool : JsonFields.objects(JsonFields.array(clientRequest, "tools"))) {
      if (!ResponsesTools.isTranslated(tool)) {
        tools.add(tool.copy());
      }
    }
    return tools;
  }

  private static void copy(JsonObject from, JsonObject to, String key) {
    if (from.getValue(key) == null) {
      to.remove(key);
    } else {
      to.put(key, JsonFields.copy(from.getValue(key)));
    }
  }
}
