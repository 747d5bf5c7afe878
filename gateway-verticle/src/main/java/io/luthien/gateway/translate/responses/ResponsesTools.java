package io.luthien.gateway.translate.responses;

import io.luthien.canonical.Canonical;
import io.luthien.canonical.JsonFields;
import io.luthien.gateway.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Tools and {@code tool_choice}: the Responses API's flat {@code {type: "function", name,
 * description, parameters, strict}} ↔ chat completions' {@code {type: "function", function:
 * {...}}}. A {@code custom} tool (free-form text input, Codex's {@code apply_patch}) becomes a
 * function taking one string argument, {@code input} ({@link CustomTools}); the function tools of a
 * {@code namespace} (Codex's grouping) are flattened; {@code web_search} / {@code
 * web_search_preview} becomes Anthropic's server tool {@code web_search_20250305}, carried in the
 * request's Anthropic extension (an OpenAI-compatible backend refuses it with a 400 naming it). Any
 * other tool type is refused with a 400 naming it.
 */
final class ResponsesTools {

  static final String WEB_SEARCH = "web_search";

  /** Under the canonical request's {@link Canonical#EXTRA}: Anthropic's server tools. */
  private static final String SERVER_TOOLS = "tools_extra";

  private static final List<String> FUNCTION_FIELDS =
      List.of("name", "description", "parameters", "strict");

  private ResponsesTools() {}

  /** Puts the request's tools into {@code canonical}: {@code tools} and its server tools. */
  static void toCanonical(Object tools, JsonObject canonical) {
    toCanonical(tools, canonical, Untranslatable.REFUSED);
  }

  /**
   * With {@code untranslatable} {@code LEFT_OUT}, the provider's own tools (web search included)
   * stay out of the canonical request instead of being refused or made Anthropic's.
   */
  static void toCanonical(Object tools, JsonObject canonical, Untranslatable untranslatable) {
    if (!(tools instanceof JsonArray list)) {
      return;
    }
    JsonArray functions = new JsonArray();
    JsonArray serverTools = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      JsonObject tool = list.getValue(i) instanceof JsonObject object ? object : new JsonObject();
      String type = String.valueOf(tool.getValue("type"));
      switch (type) {
        case "function" -> functions.add(function(tool));
        case "custom" -> functions.add(CustomTools.function(tool));
        case "namespace" -> {
          for (JsonObject member : JsonFields.objects(JsonFields.array(tool, "tools"))) {
            functions.add(function(member));
          }
        }
        case "web_search", "web_search_preview" -> {
          if (untranslatable == Untranslatable.REFUSED) {
            serverTools.add(webSearch(tool));
          }
        }
        default -> {
          if (untranslatable == Untranslatable.REFUSED) {
            throw ApiError.invalidRequest(
                    "unsupported_tool",
                    "tools[" + i + "].type",
                    "tools of type '" + type + "' are not supported by this gateway")
                .asException();
          }
        }
      }
    }
    if (!functions.isEmpty()) {
      canonical.put("tools", functions);
    }
    if (!serverTools.isEmpty()) {
      JsonObject extra = JsonFields.object(canonical, Canonical.EXTRA);
      if (extra == null) {
        extra = new JsonObject();
        canonical.put(Canonical.EXTRA, extra);
      }
      extra.put(SERVER_TOOLS, serverTools);
    }
  }

  private static JsonObject function(JsonObject tool) {
    JsonObject function = new JsonObject();
    for (String field : FUNCTION_FIELDS) {
      if (tool.getValue(field) != null) {
        function.put(field, JsonFields.copy(tool.getValue(field)));
      }
    }
    return new JsonObject().put("type", "function").put("function", function);
  }

  /**
   * Anthropic's web search server tool: {@code filters.allowed_domains} and {@code user_location}
   * carry over; {@code search_context_size} and Codex's {@code external_web_access} have no
   * Anthropic counterpart.
   */
  private static JsonObject webSearch(JsonObject tool) {
    JsonObject out = new JsonObject().put("type", "web_search_20250305").put("name", WEB_SEARCH);
    JsonArray domains = JsonFields.array(JsonFields.object(tool, "filters"), "allowed_domains");
    if (domains != null) {
      out.put("allowed_domains", domains.copy());
    }
    JsonObject location = JsonFields.object(tool, "user_location");
    if (location != null) {
      out.put("user_location", location.copy().put("type", "approximate"));
    }
    return out;
  }

  /** Whether a Responses tool has a canonical form (else it is one the provider runs itself). */
  static boolean isTranslated(JsonObject tool) {
    return List.of("function", "custom", "namespace").contains(JsonFields.string(tool, "type"));
  }

  static JsonArray fromCanonical(JsonArray tools) {
    JsonArray out = new JsonArray();
    for (JsonObject tool : JsonFields.objects(tools)) {
      JsonObject function = JsonFields.object(tool, "function");
      if (function == null) {
        out.add(tool.copy());
        continue;
      }
      JsonObject flat = new JsonObject().put("type", "function");
      for (String field : FUNCTION_FIELDS) {
        flat.put(field, JsonFields.copy(function.getValue(field)));
      }
      out.add(flat);
    }
    return out;
  }

  /**
   * {@code none} / {@code auto} / {@code required} as they are; {@code {type: "function" |
   * "custom", name}} and the web search tool ({@code {type: "web_search"}}) as the function of that
   * name; null (left out) for a choice chat completions has no form for.
   */
  static Object choiceToCanonical(Object choice) {
    if (choice instanceof String mode) {
      return mode;
    }
    if (!(choice instanceof JsonObject object)) {
      return null;
    }
    Object type = object.getValue("type");
    String name =
        "web_search".equals(type) || "web_search_preview".equals(type)
            ? WEB_SEARCH
            : ("function".equals(type) || "custom".equals(type))
                    && object.getValue("name") instanceof String named
                ? named
                : null;
    return name == null
        ? null
        : new JsonObject()
            .put("type", "function")
            .put("function", new JsonObject().put("name", name));
  }

  static Object choiceFromCanonical(Object choice) {
    String name =
        choice instanceof JsonObject object
            ? JsonFields.string(JsonFields.object(object, "function"), "name")
            : null;
    if (name != null) {
      return new JsonObject().put("type", "function").put("name", name);
    }
    return JsonFields.copy(choice);
  }
}
