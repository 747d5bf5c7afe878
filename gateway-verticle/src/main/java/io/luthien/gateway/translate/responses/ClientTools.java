package io.luthien.gateway.translate.responses;

import io.luthien.canonical.JsonFields;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the client's {@code tools} say about a called name, for the items an answer's tool calls
 * become: a {@code custom} tool's call is a {@code custom_tool_call}, a function of a {@code
 * namespace} is a {@code function_call} that names its namespace.
 */
final class ClientTools {

  private final Set<String> custom = new HashSet<>();
  private final Map<String, String> namespaces = new HashMap<>();

  ClientTools(JsonObject clientRequest) {
    for (JsonObject tool : JsonFields.objects(JsonFields.array(clientRequest, "tools"))) {
      String type = JsonFields.string(tool, "type");
      String name = JsonFields.string(tool, "name");
      if ("custom".equals(type) && name != null) {
        custom.add(name);
      } else if ("namespace".equals(type) && name != null) {
        for (JsonObject member : JsonFields.objects(JsonFields.array(tool, "tools"))) {
          String memberName = JsonFields.string(member, "name");
          if (memberName != null) {
            namespaces.put(memberName, name);
          }
        }
      }
    }
  }

  boolean isCustom(String name) {
    return custom.contains(name);
  }

  /** The namespace the function belongs to, or null. */
  String namespaceOf(String name) {
    return namespaces.get(name);
  }

  /**
   * The output item of a finished tool call: a {@code custom_tool_call} with its text for a custom
   * tool, else a {@code function_call} (with its {@code namespace} when it has one).
   */
  JsonObject callItem(String id, String callId, String name, String arguments, String status) {
    if (isCustom(name)) {
      JsonObject item = new JsonObject();
      if (id != null) {
        item.put("id", id);
      }
      return item.put("type", "custom_tool_call")
          .put("status", status)
          .put("call_id", callId)
          .put("name", name)
          .put("input", CustomTools.input(arguments));
    }
    JsonObject item = ResponsesOutput.functionCallItem(id, callId, name, arguments, status);
    String namespace = namespaceOf(name);
    if (namespace != null) {
      item.put("namespace", namespace);
    }
    return item;
  }
}
