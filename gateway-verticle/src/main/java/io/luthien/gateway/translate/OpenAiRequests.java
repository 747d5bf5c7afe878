package io.luthien.gateway.translate;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.Extensions;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canonical request → the request for an OpenAI-compatible backend: the canonical shape minus
 * its extensions.
 */
public final class OpenAiRequests {

  private static final Logger log = LoggerFactory.getLogger(OpenAiRequests.class);
  private static final AtomicBoolean WEB_SEARCH_DROPPED_LOGGED = new AtomicBoolean();

  /** The code of the refusal of a message thread, as the Anthropic SDK reads it. */
  public static final String THREAD_UNSUPPORTED = "thread_unsupported_request";

  private static final String MAX_TOKENS = "max_tokens";
  private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

  /** Sampling settings OpenAI's reasoning models refuse. */
  private static final List<String> SAMPLING = List.of("temperature", "top_p");

  private static final Pattern O_SERIES = Pattern.compile("o\\d+(-.*)?");
  private static final Pattern GPT_VERSION = Pattern.compile("gpt-(\\d+)(?:\\.\\d+)?(-.*)?");

  private OpenAiRequests() {}

  /**
   * Removes every extension key and drops thinking blocks (OpenAI has no form for them); any other
   * kept Anthropic block is refused with a 400 naming its type, and so are an Anthropic message
   * thread (see {@link #refuseThread}) and Anthropic's server tools. For an OpenAI reasoning model,
   * {@code max_tokens} is sent as {@code max_completion_tokens}, and {@code temperature} and {@code
   * top_p} are left out. Fields this class does not know pass unchanged; a request that needs none
   * of this is returned as it is, not copied.
   */
  public static JsonObject forOpenAiBackend(JsonObject canonical) {
    refuseThread(canonical);
    boolean copied = Extensions.present(canonical);
    JsonObject out = copied ? withoutExtensions(canonical) : canonical;
    refuseServerTools(canonical);
    if (isReasoningModel(out.getValue("model")) && needsReasoningFixes(out)) {
      out = copied ? out : canonical.copy();
      if (out.containsKey(MAX_TOKENS)) {
        Object maxTokens = out.remove(MAX_TOKENS);
        if (out.getValue(MAX_COMPLETION_TOKENS) == null) {
          out.put(MAX_COMPLETION_TOKENS, maxTokens);
        }
      }
      // they take only the default sampling: any other value is a 400 ("Only the default (1) value
      // is supported"), so it is left out, as the AI SDK's OpenAI provider does
      SAMPLING.forEach(out::remove);
    }
    return out;
  }

  private static boolean needsReasoningFixes(JsonObject request) {
    return request.containsKey(MAX_TOKENS) || SAMPLING.stream().anyMatch(request::containsKey);
  }

  /**
   * OpenAI's reasoning models ({@code o1}, {@code o3}, {@code o4-mini}, {@code gpt-5} and later,
   * but not the {@code gpt-5-chat} models) refuse {@code max_tokens} and take {@code
   * max_completion_tokens}: the rule the AI SDK's OpenAI provider applies. A {@code provider/}
   * prefix (OpenRouter's {@code openai/o3}) is looked through.
   */
  static boolean isReasoningModel(Object model) {
    if (!(model instanceof String name)) {
      return false;
    }
    String bare = name.substring(name.lastIndexOf('/') + 1);
    if (O_SERIES.matcher(bare).matches()) {
      return true;
    }
    Matcher gpt = GPT_VERSION.matcher(bare);
    return gpt.matches()
        && Integer.parseInt(gpt.group(1)) >= 5
        && (gpt.group(2) == null || !gpt.group(2).startsWith("-chat"));
  }

  /**
   * An Anthropic message thread ({@code thread: {type: create | continue}}) keeps the conversation
   * on Anthropic's side: a {@code continue} turn carries only the newest messages, a lone tool
   * result that no other backend can make sense of. The refusal is the one the Anthropic SDK
   * recognises ({@code error.details.error_code: thread_unsupported_request}): with {@code
   * unsupportedRequestBehavior: 'continue_unthreaded'} it resends the whole conversation without
   * the thread.
   */
  private static void refuseThread(JsonObject canonical) {
    JsonObject extra = JsonFields.object(canonical, Canonical.EXTRA);
    if (extra != null && extra.getValue("thread") != null) {
      throw ApiError.invalidRequest(
              THREAD_UNSUPPORTED,
              "thread",
              "message threads are not supported for model '"
                  + canonical.getValue("model")
                  + "', which is not served by Anthropic: send the full conversation without"
                  + " 'thread'")
          .asException();
    }
  }

  /**
   * Anthropic's server tools (web search, code execution...) run at Anthropic: an OpenAI-compatible
   * backend has nothing to run them with. Web search is left out (logged once): Codex and Claude
   * Code offer it by default, and the model answers without searching rather than the client
   * failing. Any other is refused: leaving it out would answer without what the client asked for.
   */
  private static void refuseServerTools(JsonObject canonical) {
    JsonArray serverTools =
        JsonFields.array(JsonFields.object(canonical, Canonical.EXTRA), "tools_extra");
    if (serverTools == null || serverTools.isEmpty()) {
      return;
    }
    for (JsonObject tool : JsonFields.objects(serverTools)) {
      if (String.valueOf(tool.getValue("type")).startsWith("web_search")) {
        if (WEB_SEARCH_DROPPED_LOGGED.compareAndSet(false, true)) {
          log.info(
              "web search tools are left out for models not served by Anthropic (first: '{}'):"
                  + " they answer without searching",
              canonical.getValue("model"));
        }
        continue;
      }
      throw ApiError.invalidRequest(
              "unsupported_tool",
              "tools",
              "the server tool '"
                  + tool.getValue("name")
                  + "' (type '"
                  + tool.getValue("type")
                  + "') runs only at Anthropic, and model '"
                  + canonical.getValue("model")
                  + "' is not served by Anthropic: remove it from 'tools'")
          .asException();
    }
  }

  private static JsonObject withoutExtensions(JsonObject canonical) {
    JsonObject out = canonical.copy();
    out.remove(Canonical.EXTRA);
    out.remove(Canonical.HEADERS);
    out.remove(Canonical.QUERY);
    if (out.getValue("tools") instanceof JsonArray tools) {
      removeExtras(tools);
    }
    if (out.getValue("messages") instanceof JsonArray messages) {
      for (int i = 0; i < messages.size(); i++) {
        if (messages.getValue(i) instanceof JsonObject message) {
          strip(message, i);
        }
      }
    }
    return out;
  }

  private static void strip(JsonObject message, int i) {
    message.remove(Canonical.EXTRA);
    message.remove(Canonical.THINKING);
    message.remove(Canonical.IN_MESSAGES);
    boolean hasToolCalls =
        message.getValue("tool_calls") instanceof JsonArray calls && !calls.isEmpty();
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      removeExtras(calls);
    }
    if (!(message.getValue("content") instanceof JsonArray parts)) {
      return;
    }
    JsonArray kept = new JsonArray();
    for (int j = 0; j < parts.size(); j++) {
      Object part = parts.getValue(j);
      if (!(part instanceof JsonObject object)
          || !Canonical.BLOCK_PART.equals(object.getValue("type"))) {
        if (part instanceof JsonObject object) {
          object.remove(Canonical.EXTRA);
        }
        kept.add(part);
      } else if (!isThinking(object.getValue("block"))) {
        String type = JsonFields.string(JsonFields.object(object, "block"), "type");
        throw ApiError.invalidRequest(
                "unsupported_content_block",
                "messages[" + i + "].content[" + j + "].type",
                "content block type '" + type + "' cannot be translated to the OpenAI format")
            .asException();
      }
    }
    boolean emptied = kept.isEmpty() && !parts.isEmpty();
    if (!emptied) {
      message.put("content", kept);
    } else {
      message.put("content", hasToolCalls ? null : "");
    }
  }

  private static boolean isThinking(Object block) {
    Object type = block instanceof JsonObject object ? object.getValue("type") : null;
    return "thinking".equals(type) || "redacted_thinking".equals(type);
  }

  private static void removeExtras(JsonArray objects) {
    objects.forEach(
        value -> {
          if (value instanceof JsonObject object) {
            object.remove(Canonical.EXTRA);
          }
        });
  }
}
