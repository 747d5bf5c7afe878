package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A Responses API request ({@code POST /v1/responses}) ↔ the canonical chat completions request.
 * {@code instructions} becomes a leading system message, {@code input} (a string or items) the
 * messages, consecutive {@code function_call} items one assistant message's tool calls and each
 * {@code function_call_output} a tool message; the flat function tools become chat's nested ones,
 * {@code text.format} becomes {@code response_format}, {@code max_output_tokens} {@code max_tokens}
 * and {@code reasoning.effort} {@code reasoning_effort}. Fields chat completions shares ({@code
 * temperature}, {@code top_p}, {@code parallel_tool_calls}, {@code store}, {@code metadata}, {@code
 * user}, {@code prompt_cache_key}...) and fields the gateway does not know pass through; fields
 * only the Responses API has ({@code include}, {@code truncation}, {@code background}...) stay
 * behind.
 */
public final class ResponsesRequests {

  /** Read by their own translation. */
  private static final Set<String> TRANSLATED =
      Set.of(
          "input",
          "instructions",
          "tools",
          "tool_choice",
          "text",
          "max_output_tokens",
          "reasoning",
          "previous_response_id",
          "stream_options");

  /** Only the Responses API has these; a chat completions backend would refuse them. */
  private static final Set<String> RESPONSES_ONLY =
      Set.of(
          "include",
          "truncation",
          "background",
          "conversation",
          "prompt",
          "max_tool_calls",
          "context_management",
          "prompt_cache_retention",
          "client_metadata");

  private static final Set<String> MESSAGE_ROLES =
      Set.of("user", "assistant", "system", "developer");

  private ResponsesRequests() {}

  /**
   * Checks what the gateway relies on: {@code model} a non-empty string, {@code input} a string or
   * an array of objects (or absent with {@code previous_response_id}), {@code stream} a boolean,
   * {@code instructions} a string; {@code background: true} is refused (the gateway answers in the
   * foreground only). Each refusal names the field; an input item the gateway cannot translate is
   * refused by {@link #toCanonical}.
   */
  public static void validate(JsonObject request) {
    Object model = request.getValue("model");
    if (model == null) {
      throw missing("model");
    }
    if (!(model instanceof String name) || name.isBlank()) {
      throw invalid("model", "'model' must be a non-empty string");
    }
    Object input = request.getValue("input");
    if (input == null && request.getValue("previous_response_id") == null) {
      throw missing("input");
    }
    if (input instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        if (!(items.getValue(i) instanceof JsonObject)) {
          throw invalid("input[" + i + "]", "'input[" + i + "]' must be an object");
        }
      }
    } else if (input != null && !(input instanceof String)) {
      throw invalid("input", "'input' must be a string or an array of input items");
    }
    Object instructions = request.getValue("instructions");
    if (instructions != null && !(instructions instanceof String)) {
      throw invalid("instructions", "'instructions' must be a string");
    }
    Object stream = request.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw invalid("stream", "'stream' must be a boolean");
    }
    Object previous = request.getValue("previous_response_id");
    if (previous != null && !(previous instanceof String)) {
      throw invalid("previous_response_id", "'previous_response_id' must be a string");
    }
    Object tools = request.getValue("tools");
    if (tools != null && !(tools instanceof JsonArray)) {
      throw invalid("tools", "'tools' must be an array");
    }
    if (Boolean.TRUE.equals(request.getValue("background"))) {
      throw ApiError.invalidRequest(
              "unsupported_parameter",
              "background",
              "background responses are not supported by this gateway")
          .asException();
    }
  }

  /**
   * The canonical request; {@code history} is the conversation a {@code previous_response_id} names
   * (canonical messages, its instructions left out), empty without one.
   */
  public static JsonObject toCanonical(JsonObject request, List<JsonObject> history) {
    return toCanonical(request, history, Untranslatable.REFUSED);
  }

  /**
   * The canonical request of a call that a Responses API backend will get as a Responses request
   * ({@link ResponsesBackendRequests}): what chat completions cannot hold (the provider's own
   * tools, their items, content parts the gateway cannot read) is left out of what the policy sees,
   * not refused, and reaches the backend as the client sent it.
   */
  public static JsonObject toCanonicalForResponsesBackend(JsonObject request) {
    return toCanonical(request, List.of(), Untranslatable.LEFT_OUT);
  }

  private static JsonObject toCanonical(
      JsonObject request, List<JsonObject> history, Untranslatable untranslatable) {
    JsonObject canonical = new JsonObject();
    JsonArray messages = new JsonArray();
    if (request.getValue("instructions") instanceof String instructions) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    history.forEach(message -> messages.add(message.copy()));
    ResponsesInput.toMessages(request.getValue("input"), messages, untranslatable);
    if (messages.isEmpty()) {
      throw invalid("input", "'input' must not be empty");
    }
    request.forEach(
        entry -> {
          String key = entry.getKey();
          if (!TRANSLATED.contains(key) && !RESPONSES_ONLY.contains(key)) {
            canonical.put(key, JsonFields.copy(entry.getValue()));
          }
        });
    canonical.put(Canonical.MESSAGES, messages);
    if (request.getValue("max_output_tokens") instanceof Number max) {
      canonical.put("max_tokens", max);
    }
    ResponsesTools.toCanonical(request.getValue("tools"), canonical, untranslatable);
    if (canonical.containsKey("tools") || canonical.containsKey(Canonical.EXTRA)) {
      Object choice = ResponsesTools.choiceToCanonical(request.getValue("tool_choice"));
      if (choice != null) {
        canonical.put("tool_choice", choice);
      }
    }
    JsonObject format = JsonFields.object(JsonFields.object(request, "text"), "format");
    JsonObject responseFormat = responseFormat(format);
    if (responseFormat != null) {
      canonical.put("response_format", responseFormat);
    }
    String verbosity = JsonFields.string(JsonFields.object(request, "text"), "verbosity");
    if (verbosity != null) {
      canonical.put("verbosity", verbosity);
    }
    String effort = JsonFields.string(JsonFields.object(request, "reasoning"), "effort");
    if (effort != null) {
      canonical.put("reasoning_effort", effort);
    }
    if (canonical.getBoolean("stream", false)) {
      canonical.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return canonical;
  }

  /**
   * The conversation a recorded exchange holds, as canonical messages: the final request's {@code
   * input} (which already holds every turn before it), then the response's {@code output} (a {@code
   * reasoning} item only when it kept its {@code encrypted_content}: {@link ResponsesReasoning}).
   * Its {@code instructions} are not part of it: the Responses API does not carry them over to the
   * next response.
   */
  public static List<JsonObject> history(JsonObject request, JsonObject response) {
    JsonArray messages = new JsonArray();
    ResponsesInput.toMessages(request.getValue("input"), messages);
    ResponsesInput.toMessages(response.getValue("output"), messages);
    return JsonFields.objects(messages);
  }

  /**
   * A canonical request (a policy's final version) as a Responses request, for the record: its
   * leading system message becomes {@code instructions} when the client sent {@code instructions};
   * {@code clientRequest} gives back what chat completions has no place for.
   */
  public static JsonObject fromCanonical(JsonObject canonical, JsonObject clientRequest) {
    JsonObject out = new JsonObject();
    List<JsonObject> messages = JsonFields.objects(JsonFields.array(canonical, Canonical.MESSAGES));
    int first = 0;
    if (clientRequest.getValue("instructions") instanceof String
        && !messages.isEmpty()
        && "system".equals(messages.get(0).getValue("role"))
        && messages.get(0).getValue("content") instanceof String instructions) {
      out.put("instructions", instructions);
      first = 1;
    }
    canonical.forEach(
        entry -> {
          switch (entry.getKey()) {
            case "messages",
                "tools",
                "tool_choice",
                "response_format",
                "max_tokens",
                "reasoning_effort",
                "verbosity",
                "stream_options" -> {}
            default -> out.put(entry.getKey(), JsonFields.copy(entry.getValue()));
          }
        });
    out.put("input", ResponsesInput.fromMessages(messages.subList(first, messages.size())));
    if (canonical.getValue("max_tokens") != null) {
      out.put("max_output_tokens", canonical.getValue("max_tokens"));
    }
    if (canonical.getValue("tools") instanceof JsonArray tools) {
      out.put("tools", ResponsesTools.fromCanonical(tools));
    }
    if (canonical.getValue("tool_choice") != null) {
      out.put("tool_choice", ResponsesTools.choiceFromCanonical(canonical.getValue("tool_choice")));
    }
    JsonObject text = textConfig(canonical);
    if (text != null) {
      out.put("text", text);
    }
    if (canonical.getValue("reasoning_effort") instanceof String effort) {
      JsonObject reasoning =
          JsonFields.object(clientRequest, "reasoning") != null
              ? clientRequest.getJsonObject("reasoning").copy()
              : new JsonObject();
      out.put("reasoning", reasoning.put("effort", effort));
    }
    for (String key : RESPONSES_ONLY) {
      if (clientRequest.containsKey(key)) {
        out.put(key, JsonFields.copy(clientRequest.getValue(key)));
      }
    }
    if (clientRequest.containsKey("previous_response_id")) {
      out.put("previous_response_id", clientRequest.getValue("previous_response_id"));
    }
    return out;
  }

  /** The Responses {@code text} config of a canonical request, or null when it sets none. */
  static JsonObject textConfig(JsonObject canonical) {
    JsonObject format = JsonFields.object(canonical, "response_format");
    Object verbosity = canonical.getValue("verbosity");
    if (format == null && verbosity == null) {
      return null;
    }
    JsonObject text = new JsonObject();
    if (format != null) {
      JsonObject out = new JsonObject().put("type", format.getValue("type"));
      JsonObject schema = JsonFields.object(format, "json_schema");
      if (schema != null) {
        out.mergeIn(schema.copy());
      }
      text.put("format", out);
    }
    if (verbosity != null) {
      text.put("verbosity", verbosity);
    }
    return text;
  }

  private static JsonObject responseFormat(JsonObject format) {
    if (format == null) {
      return null;
    }
    String type = JsonFields.string(format, "type");
    if ("json_schema".equals(type)) {
      JsonObject schema = format.copy();
      schema.remove("type");
      return new JsonObject().put("type", "json_schema").put("json_schema", schema);
    }
    if ("json_object".equals(type)) {
      return new JsonObject().put("type", "json_object");
    }
    if ("text".equals(type)) {
      return null;
    }
    throw ApiError.invalidRequest(
            "invalid_value", "text.format.type", "unsupported text.format type '" + type + "'")
        .asException();
  }

  static boolean isMessageRole(Object role) {
    return MESSAGE_ROLES.contains(role);
  }

  static GatewayException missing(String field) {
    return ApiError.invalidRequest(
            "missing_required_parameter", field, "missing required field '" + field + "'")
        .asException();
  }

  static GatewayException invalid(String field, String message) {
    return ApiError.invalidRequest("invalid_type", field, message).asException();
  }
}
