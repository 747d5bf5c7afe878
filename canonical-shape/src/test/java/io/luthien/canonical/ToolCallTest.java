package io.luthien.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolCallTest {

  @Test
  @DisplayName("a tool call reads back from its JSON as it was written")
  void toolCallRoundTrip() {
    ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");

    assertThat(call.toJson())
        .isEqualTo(
            new JsonObject(
                """
        {"id": "call_1", "type": "function",
         "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
        """));
    assertThat(ToolCall.of(call.toJson())).isEqualTo(call);
  }

  @Test
  @DisplayName("a tool call missing its function or with mistyped fields reads them as null")
  void lenientToolCall() {
    assertThat(ToolCall.of(new JsonObject().put("id", 7).put("function", "nope")))
        .isEqualTo(new ToolCall(null, null, null));
  }

  @Test
  @DisplayName(
      "a first fragment carries id, type and name; a later one only its index and arguments piece")
  void fragmentsAsOpenAiStreamsThem() {
    ToolCallDelta first = new ToolCallDelta(0, "call_1", "get_weather", "");
    ToolCallDelta later = new ToolCallDelta(0, null, null, "{\"city\"");

    assertThat(first.toJson())
        .isEqualTo(
            new JsonObject(
                """
        {"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}
        """));
    assertThat(later.toJson())
        .isEqualTo(
            new JsonObject(
                """
        {"index": 0, "function": {"arguments": "{\\"city\\""}}
        """));
    assertThat(ToolCallDelta.of(first.toJson(), 5)).isEqualTo(first);
    assertThat(ToolCallDelta.of(later.toJson(), 5)).isEqualTo(later);
  }
}
