package io.luthien.gateway.translate.responses;

import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's web search ({@code server_tool_use} named {@code web_search}, then its {@code
 * web_search_tool_result}) as the Responses API's {@code web_search_call} item: {@code action:
 * {type: "search", query, sources: [{type: "url", url}]}}. The results' encrypted content stays
 * behind: a Responses client has no field for it.
 */
final class WebSearchCalls {

  private WebSearchCalls() {}

  static boolean isSearch(JsonObject block) {
    return "server_tool_use".equals(block.getValue("type"))
        && ResponsesTools.WEB_SEARCH.equals(block.getValue("name"));
  }

  /** Adds one item per web search among {@code blocks} (null: none) to {@code output}. */
  static void fromBlocks(JsonArray blocks, ResponseIds ids, JsonArray output) {
    for (JsonObject block : JsonFields.objects(blocks)) {
      if (isSearch(block)) {
        JsonObject result = resultOf(blocks, JsonFields.string(block, "id"));
        output.add(item(ids.item(output.size()), block, result, ResponsesOutput.COMPLETED));
      }
    }
  }

  private static JsonObject resultOf(JsonArray blocks, String toolUseId) {
    for (JsonObject block : JsonFields.objects(blocks)) {
      if (toolUseId != null && toolUseId.equals(block.getValue("tool_use_id"))) {
        return block;
      }
    }
    return null;
  }

  /**
   * The item for a search ({@code result} null while it has none), with that status ({@code failed}
   * when the result is Anthropic's error block).
   */
  static JsonObject item(String id, JsonObject search, JsonObject result, String status) {
    JsonObject action =
        new JsonObject()
            .put("type", "search")
            .put("query", JsonFields.string(JsonFields.object(search, "input"), "query"));
    if (result != null) {
      JsonArray sources = new JsonArray();
      for (JsonObject found : JsonFields.objects(JsonFields.array(result, "content"))) {
        if (JsonFields.string(found, "url") != null) {
          sources.add(new JsonObject().put("type", "url").put("url", found.getString("url")));
        }
      }
      action.put("sources", sources);
    }
    boolean failed = result != null && result.getValue("content") instanceof JsonObject;
    return new JsonObject()
        .put("id", id)
        .put("type", "web_search_call")
        .put("status", failed ? "failed" : status)
        .put("action", action);
  }
}
