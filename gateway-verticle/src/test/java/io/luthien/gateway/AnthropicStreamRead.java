package io.luthien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic event stream as a client reads it, checked the way the SDKs rely on it: every {@code
 * event:} line names its data's {@code type}, the lifecycle runs message_start … message_stop, and
 * content blocks open and close one at a time with consecutive indexes from 0.
 */
record AnthropicStreamRead(List<JsonObject> events) {

  static AnthropicStreamRead of(String raw) {
    List<JsonObject> events = new ArrayList<>();
    for (String block : raw.split("\n\n", -1)) {
      if (block.isBlank()) {
        continue;
      }
      String name = null;
      String data = null;
      for (String line : block.split("\n", -1)) {
        if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = line.substring("data: ".length());
        }
      }
      assertThat(data).as("an SSE event without data: " + block).isNotNull();
      assertThat(data).as("Anthropic streams have no [DONE]").isNotEqualTo("[DONE]");
      JsonObject event = new JsonObject(data);
      assertThat(name).as("event line of " + data).isEqualTo(event.getString("type"));
      events.add(event);
    }
    return new AnthropicStreamRead(events);
  }

  List<String> types() {
    return events.stream().map(event -> event.getString("type")).toList();
  }

  /**
   * Asserts the lifecycle and block discipline, and returns the types of the content blocks in
   * order.
   */
  List<String> wellFormedBlocks() {
    List<String> types = types();
    assertThat(types.get(0)).isEqualTo("message_start");
    assertThat(types.get(types.size() - 1)).isEqualTo("message_stop");
    assertThat(types.get(types.size() - 2)).isEqualTo("message_delta");
    List<String> blocks = new ArrayList<>();
    Integer open = null;
    for (JsonObject event : events) {
      switch (event.getString("type")) {
        case "content_block_start" -> {
          assertThat(open).as("a block starts while block " + open + " is open").isNull();
          assertThat(event.getInteger("index")).isEqualTo(blocks.size());
          open = event.getInteger("index");
          blocks.add(event.getJsonObject("content_block").getString("type"));
        }
        case "content_block_delta" -> assertThat(event.getInteger("index")).isEqualTo(open);
        case "content_block_stop" -> {
          assertThat(event.getInteger("index")).isEqualTo(open);
          open = null;
        }
        default -> {}
      }
    }
    assertThat(open).as("a block left open").isNull();
    return blocks;
  }

  String text() {
    StringBuilder text = new StringBuilder();
    deltas("text_delta").forEach(delta -> text.append(delta.getString("text")));
    return text.toString();
  }

  String toolInput() {
    StringBuilder json = new StringBuilder();
    deltas("input_json_delta").forEach(delta -> json.append(delta.getString("partial_json")));
    return json.toString();
  }

  JsonObject first(String type) {
    return events.stream()
        .filter(event -> type.equals(event.getString("type")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event in " + types()));
  }

  private List<JsonObject> deltas(String type) {
    return events.stream()
        .filter(event -> "content_block_delta".equals(event.getString("type")))
        .map(event -> event.getJsonObject("delta"))
        .filter(delta -> type.equals(delta.getString("type")))
        .toList();
  }
}
