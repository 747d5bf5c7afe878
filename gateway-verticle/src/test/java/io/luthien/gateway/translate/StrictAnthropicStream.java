package io.luthien.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an Anthropic event sequence the way the Anthropic SDKs' stream accumulators do, and fails
 * on anything they would trip over: the message opens first and stops last, block indexes run 0, 1,
 * 2... with each block stopped before the next starts, deltas match their block's type, tool input
 * is valid JSON, and {@code [DONE]} never appears. Returns the message the client ends up with.
 */
final class StrictAnthropicStream {

  private static final Set<String> STOP_REASONS =
      Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal");

  private StrictAnthropicStream() {}

  static JsonObject accumulate(List<AnthropicEvent> events) {
    assertThat(events).as("events").isNotEmpty();
    assertThat(events.stream().map(AnthropicEvent::toSse).collect(Collectors.joining()))
        .as("no OpenAI end sentinel")
        .doesNotContain("data: [DONE]");
    JsonObject message = null;
    Integer open = null;
    StringBuilder toolJson = null;
    boolean delta = false;
    boolean stopped = false;
    for (int i = 0; i < events.size(); i++) {
      AnthropicEvent event = events.get(i);
      JsonObject data = event.data();
      String where = "event " + i + " " + data.encode();
      assertThat(stopped).as("nothing after message_stop: " + where).isFalse();
      assertThat(data.getString("type"))
          .as("event name matches data.type: " + where)
          .isEqualTo(event.type());
      if (i == 0) {
        assertThat(event.type()).as("first event").isEqualTo("message_start");
      }
      switch (event.type()) {
        case "message_start" -> {
          assertThat(message).as("one message_start: " + where).isNull();
          message = data.getJsonObject("message").copy();
          assertThat(message.getString("id")).startsWith("msg_");
          assertThat(message.getString("type")).isEqualTo("message");
          assertThat(message.getString("role")).isEqualTo("assistant");
          assertThat(message.getString("model")).isNotNull();
          assertThat(message.getJsonArray("content")).isEmpty();
          assertThat(message.containsKey("stop_reason") && message.getValue("stop_reason") == null)
              .isTrue();
          assertThat(
                  message.containsKey("stop_sequence") && message.getValue("stop_sequence") == null)
              .isTrue();
          assertThat(message.getJsonObject("usage").getValue("input_tokens"))
              .isInstanceOf(Number.class);
          assertThat(message.getJsonObject("usage").getValue("output_tokens"))
              .isInstanceOf(Number.class);
        }
        case "ping" -> assertThat(data.fieldNames()).containsExactly("type");
        case "content_block_start" -> {
          assertThat(open).as("previous block stopped before: " + where).isNull();
          JsonArray content = message.getJsonArray("content");
          assertThat(data.getInteger("index"))
              .as("consecutive index: " + where)
              .isEqualTo(content.size());
          JsonObject block = data.getJsonObject("content_block").copy();
          switch (block.getString("type")) {
            case "text" -> assertThat(block.getString("text")).isEmpty();
            case "thinking" -> assertThat(block.getString("thinking")).isEmpty();
            case "redacted_thinking" -> assertThat(block.getString("data")).isNotEmpty();
            case "tool_use" -> {
              assertThat(block.getString("id")).startsWith("toolu_");
              assertThat(block.getString("name")).isNotEmpty();
              assertThat(block.getJsonObject("input")).isEmpty();
              toolJson = new StringBuilder();
            }
            default -> fail("unexpected block type: " + where);
          }
          content.add(block);
          open = data.getInteger("index");
        }
        case "content_block_delta" -> {
          assertThat(open)
              .as("delta for the open block: " + where)
              .isEqualTo(data.getInteger("index"));
          JsonObject block = message.getJsonArray("content").getJsonObject(open);
          JsonObject change = data.getJsonObject("delta");
          switch (change.getString("type")) {
            case "text_delta" -> {
              assertThat(block.getString("type")).as(where).isEqualTo("text");
              block.put("text", block.getString("text") + change.getString("text"));
            }
            case "input_json_delta" -> {
              assertThat(block.getString("type")).as(where).isEqualTo("tool_use");
              toolJson.append(change.getString("partial_json"));
            }
            case "thinking_delta" -> {
              assertThat(block.getString("type")).as(where).isEqualTo("thinking");
              block.put("thinking", block.getString("thinking") + change.getString("thinking"));
            }
            case "signature_delta" -> {
              assertThat(block.getString("type")).as(where).isEqualTo("thinking");
              block.put("signature", change.getString("signature"));
            }
            default -> fail("unexpected delta type: " + where);
          }
        }
        case "content_block_stop" -> {
          assertThat(open).as("stops the open block: " + where).isEqualTo(data.getInteger("index"));
          JsonObject block = message.getJsonArray("content").getJsonObject(open);
          if ("tool_use".equals(block.getString("type"))) {
            if (toolJson.length() > 0) {
              block.put("input", new JsonObject(toolJson.toString()));
            }
            toolJson = null;
          }
          open = null;
        }
        case "message_delta" -> {
          assertThat(open).as("every block stopped before message_delta: " + where).isNull();
          assertThat(delta).as("one message_delta").isFalse();
          delta = true;
          JsonObject change = data.getJsonObject("delta");
          assertThat(change.getString("stop_reason")).as(where).isIn(STOP_REASONS);
          assertThat(change.containsKey("stop_sequence")).as(where).isTrue();
          message.put("stop_reason", change.getString("stop_reason"));
          message.put("stop_sequence", change.getValue("stop_sequence"));
          JsonObject usage = data.getJsonObject("usage");
          assertThat(usage.getValue("output_tokens")).as(where).isInstanceOf(Number.class);
          message.getJsonObject("usage").mergeIn(usage);
        }
        case "message_stop" -> {
          assertThat(delta).as("message_delta before message_stop").isTrue();
          assertThat(data.fieldNames()).containsExactly("type");
          stopped = true;
        }
        default -> fail("unexpected event: " + where);
      }
    }
    assertThat(stopped).as("the stream ends with message_stop").isTrue();
    return message;
  }

  /**
   * Each event as {@code type}, {@code type[index]} or {@code type[index]:delta_type}, to assert
   * exact order.
   */
  static List<String> shape(List<AnthropicEvent> events) {
    return events.stream().map(StrictAnthropicStream::shape).toList();
  }

  private static String shape(AnthropicEvent event) {
    JsonObject data = event.data();
    return switch (event.type()) {
      case "content_block_start" ->
          "start["
              + data.getInteger("index")
              + "]:"
              + data.getJsonObject("content_block").getString("type");
      case "content_block_delta" ->
          "delta["
              + data.getInteger("index")
              + "]:"
              + data.getJsonObject("delta").getString("type");
      case "content_block_stop" -> "stop[" + data.getInteger("index") + "]";
      default -> event.type();
    };
  }
}
