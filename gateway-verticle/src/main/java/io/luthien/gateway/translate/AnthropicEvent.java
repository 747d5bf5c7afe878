package io.luthien.gateway.translate;

import io.vertx.core.json.JsonObject;

/**
 * One server-sent event of the Anthropic Messages stream: its {@code event:} name and its {@code
 * data:} object.
 */
public record AnthropicEvent(String type, JsonObject data) {

  /** An event named after its data's own {@code type}, as Anthropic always sends them. */
  public static AnthropicEvent of(JsonObject data) {
    return new AnthropicEvent(data.getString("type"), data);
  }

  /** The event as it goes on the wire: {@code event: <type>\ndata: <json>\n\n}. */
  public String toSse() {
    return "event: " + type + "\ndata: " + data.encode() + "\n\n";
  }
}
