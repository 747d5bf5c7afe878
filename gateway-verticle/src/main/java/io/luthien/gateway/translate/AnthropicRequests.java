package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.luthien.gateway.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Anthropic Messages requests ↔ the canonical (OpenAI chat completions) request. What OpenAI cannot
 * say travels in {@link Canonical} extension keys, so {@code fromCanonical(toCanonical(r))} gives
 * {@code r} back.
 */
public final class AnthropicRequests {

  /**
   * What an Anthropic backend gets when the client named no limit (OpenAI clients may omit it;
   * Anthropic may not).
   */
  static final int DEFAULT_MAX_TOKENS = 4096;

  /** Fields both formats share under the same name. */
  private static final Set<String> SHARED =
      Set.of("model", "max_tokens", "temperature", "top_p", "stream");

  /** Fields handled by their own translation. */
  private static final Set<String> TRANSLATED =
      Set.of(
          "system",
          "messages",
          "stop_sequences",
          "tools",
          "tool_choice",
          StructuredOutputs.OUTPUT_CONFIG);

  private AnthropicRequests() {}

  /**
   * Checks what the gateway relies on in a {@code POST /v1/messages} body, and nothing more: a role
   * or block it does not know is the backend's to judge. Each refusal names the field.
   */
  public static void validate(JsonObject body) {
    validateConversation(body);
    Object maxTokens = body.getValue("max_tokens");
    if (maxTokens == null) {
      throw invalid("max_tokens", "missing required field 'max_tokens'");
    }
    if (!(maxTokens instanceof Integer || maxTokens instanceof Long)
        || ((Number) maxTokens).longValue() < 1) {
      throw invalid("max_tokens", "'max_tokens' must be a positive integer");
    }
  }

  /**
   * What {@code POST /v1/messages/count_tokens} needs: a model to route by and messages to count.
   */
  public static void validateConversation(JsonObject body) {
    if (body == null) {
      throw invalid(null, "request body must be a JSON object");
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      throw invalid(
          "model",
          body.getValue("model") != null
              ? "'model' must be a non-empty string"
              : "missing required field 'model'");
    }
    if (!(body.getValue("messages") instanceof JsonArray messages)) {
      throw invalid(
          "messages",
          body.getValue("messages") != null
              ? "'messages' must be an array of message objects"
              : "missing required field 'messages'");
    }
    if (messages.isEmpty()) {
      throw invalid("messages", "'messages' must not be empty");
    }
    for (int i = 0; i < messages.size(); i++) {
      String field = "messages[" + i + "]";
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw invalid(field, "'" + field + "' must be an object");
      }
      if (!(message.getValue("role") instanceof String role) || role.isBlank()) {
        throw invalid(field + ".role", "'" + field + ".role' must be a non-empty string");
      }
      Object content = message.getValue("content");
      if (!(content instanceof String) && !(content instanceof JsonArray)) {
        throw invalid(
            field + ".content",
            "'" + field + ".content' must be a string or an array of content blocks");
      }
    }
  }

  /** An Anthropic Messages request (already validated) → the canonical request. */
  public static JsonObject toCanonical(JsonObject request) {
    JsonObject canonical = new JsonObject();
    JsonObject extra = new JsonObject();
    for (String key : request.fieldNames()) {
      if (SHARED.contains(key)) {
        canonical.put(key, JsonFields.copy(request.getValue(key)));
      } else if (!TRANSLATED.contains(key)) {
        extra.put(key, JsonFields.copy(request.getValue(key)));
      }
    }
    canonical.put(
        "messages",
        AnthropicMessages.toCanonical(
            request.getValue("system"), request.getJsonArray("messages")));
    if (request.containsKey("stop_sequences")) {
      canonical.put("stop", JsonFields.copy(request.getValue("stop_sequences")));
    }
    AnthropicTools.toCanonical(request, canonical, extra);
    StructuredOutputs.toCanonical(request, canonical, extra);
    if (!extra.isEmpty()) {
      canonical.put(Canonical.EXTRA, extra);
    }
    return canonical;
  }

  /** A canonical request → the Anthropic Messages request for an Anthropic backend. */
  public static JsonObject fromCanonical(JsonObject canonical) {
    if (canonical.getValue("n") instanceof Number n && n.intValue() > 1) {
      throw ApiError.invalidRequest(
              "unsupported_parameter",
              "n",
              "'n' greater than 1 is not supported by Anthropic models")
          .asException();
    }
    if (!(canonical.getValue("messages") instanceof JsonArray messages)) {
      throw invalid("messages", "'messages' must be an array of message objects");
    }
    JsonObject out = new JsonObject().put("model", canonical.getValue("model"));
    AnthropicMessages.Conversation conversation = AnthropicMessages.toAnthropic(messages);
    if (conversation.system() != null) {
      out.put("system", conversation.system());
    }
    out.put("messages", conversation.messages());
    out.put("max_tokens", maxTokens(canonical));
    for (String key : SHARED) {
      if (!out.containsKey(key) && canonical.containsKey(key)) {
        out.put(key, JsonFields.copy(canonical.getValue(key)));
      }
    }
    Object stop = canonical.getValue("stop");
    if (stop instanceof String sequence) {
      out.put("stop_sequences", new JsonArray().add(sequence));
    } else if (stop != null) {
      out.put("stop_sequences", JsonFields.copy(stop));
    }
    AnthropicTools.toAnthropic(canonical, out);
    StructuredOutputs.toAnthropic(canonical, JsonFields.object(canonical, Canonical.EXTRA), out);
    restoreExtra(canonical, out);
    return out;
  }

  private static Object maxTokens(JsonObject canonical) {
    Object maxTokens = canonical.getValue("max_tokens");
    if (maxTokens == null) {
      maxTokens = canonical.getValue("max_completion_tokens");
    }
    return maxTokens != null ? maxTokens : DEFAULT_MAX_TOKENS;
  }

  private static void restoreExtra(JsonObject canonical, JsonObject out) {
    JsonObject extra = JsonFields.object(canonical, Canonical.EXTRA);
    if (extra != null) {
      for (String key : extra.fieldNames()) {
        if (!key.equals(AnthropicTools.TOOLS_EXTRA) && !out.containsKey(key)) {
          out.put(key, JsonFields.copy(extra.getValue(key)));
        }
      }
    }
    if (!out.containsKey("metadata") && canonical.getValue("user") instanceof String user) {
      out.put("metadata", new JsonObject().put("user_id", user));
    }
  }

  private static GatewayException invalid(String param, String message) {
    return ApiError.invalidRequest("invalid_request", param, message).asException();
  }
}
