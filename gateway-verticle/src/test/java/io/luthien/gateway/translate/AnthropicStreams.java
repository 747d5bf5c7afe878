package io.luthien.gateway.translate;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Anthropic Messages streams as the API sends them (event data only, in order), after the API
 * reference's examples.
 */
final class AnthropicStreams {

  static final List<JsonObject> TEXT =
      events(
          """
      {"type": "message_start", "message": {"id": "msg_01ABCxyz", "type": "message", "role": "assistant",
        "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 25, "output_tokens": 1}}}
      {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
      {"type": "ping"}
      {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}
      {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}
      {"type": "content_block_stop", "index": 0}
      {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
        "usage": {"output_tokens": 15}}
      {"type": "message_stop"}
      """);

  static final List<JsonObject> TEXT_THEN_TWO_TOOLS =
      events(
          """
      {"type": "message_start", "message": {"id": "msg_014p7gG3wDgGV9EUtLvnow3U", "type": "message",
        "role": "assistant", "model": "claude-sonnet-4-5", "stop_sequence": null, "stop_reason": null,
        "content": [], "usage": {"input_tokens": 472, "output_tokens": 2}}}
      {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
      {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Okay, let me check."}}
      {"type": "content_block_stop", "index": 0}
      {"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use",
        "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather", "input": {}}}
      {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}}
      {"type": "content_block_delta", "index": 1,
        "delta": {"type": "input_json_delta", "partial_json": "{\\"location\\": \\"San Fra"}}
      {"type": "content_block_delta", "index": 1,
        "delta": {"type": "input_json_delta", "partial_json": "ncisco, CA\\"}"}}
      {"type": "content_block_stop", "index": 1}
      {"type": "content_block_start", "index": 2, "content_block": {"type": "tool_use",
        "id": "toolu_01Uu2cVRp9zr3Sbr7pJqq9Ty", "name": "get_time", "input": {}}}
      {"type": "ping"}
      {"type": "content_block_delta", "index": 2,
        "delta": {"type": "input_json_delta", "partial_json": "{\\"timezone\\": \\"PST\\"}"}}
      {"type": "content_block_stop", "index": 2}
      {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
        "usage": {"output_tokens": 89}}
      {"type": "message_stop"}
      """);

  static final List<JsonObject> THINKING_THEN_TEXT =
      events(
          """
      {"type": "message_start", "message": {"id": "msg_01Th1nk", "type": "message", "role": "assistant",
        "content": [], "model": "claude-opus-4-1", "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 30, "output_tokens": 4}}}
      {"type": "content_block_start", "index": 0,
        "content_block": {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"}}
      {"type": "content_block_stop", "index": 0}
      {"type": "content_block_start", "index": 1,
        "content_block": {"type": "thinking", "thinking": "", "signature": ""}}
      {"type": "content_block_delta", "index": 1,
        "delta": {"type": "thinking_delta", "thinking": "Let me solve this step by step:\\n\\n1."}}
      {"type": "content_block_delta", "index": 1,
        "delta": {"type": "thinking_delta", "thinking": " First break down 27 * 453"}}
      {"type": "content_block_delta", "index": 1,
        "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}
      {"type": "content_block_stop", "index": 1}
      {"type": "content_block_start", "index": 2, "content_block": {"type": "text", "text": ""}}
      {"type": "content_block_delta", "index": 2, "delta": {"type": "text_delta", "text": "27 * 453 = 12,231"}}
      {"type": "content_block_stop", "index": 2}
      {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
        "usage": {"output_tokens": 120}}
      {"type": "message_stop"}
      """);

  /** Newer API versions repeat the input counts in message_delta's cumulative usage. */
  static final List<JsonObject> STOP_SEQUENCE_WITH_CACHE =
      events(
          """
      {"type": "message_start", "message": {"id": "msg_01Cache", "type": "message", "role": "assistant",
        "content": [], "model": "claude-haiku-4-5", "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 12, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2048,
                  "output_tokens": 1}}}
      {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
      {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "1, 2, 3"}}
      {"type": "content_block_stop", "index": 0}
      {"type": "message_delta", "delta": {"stop_reason": "stop_sequence", "stop_sequence": "###"},
        "usage": {"input_tokens": 12, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2048,
                  "output_tokens": 12}}
      {"type": "message_stop"}
      """);

  private AnthropicStreams() {}

  /** One event per JSON object; objects may span lines, each one starting a line with '{"type"'. */
  private static List<JsonObject> events(String text) {
    return List.of(text.split("\n(?=\\{\"type\")")).stream()
        .map(String::strip)
        .filter(part -> !part.isEmpty())
        .map(JsonObject::new)
        .toList();
  }
}
