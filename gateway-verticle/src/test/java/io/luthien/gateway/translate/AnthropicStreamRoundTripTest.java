package io.luthien.gateway.translate;

import static io.luthien.gateway.translate.StrictAnthropicStream.accumulate;
import static io.luthien.gateway.translate.StrictAnthropicStream.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An Anthropic client on an Anthropic backend: decoder then encoder must give the client the stream
 * it would get.
 */
class AnthropicStreamRoundTripTest {

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("text", AnthropicStreams.TEXT),
        Arguments.of("text then two tools", AnthropicStreams.TEXT_THEN_TWO_TOOLS),
        Arguments.of("redacted thinking, thinking, text", AnthropicStreams.THINKING_THEN_TEXT),
        Arguments.of("stop sequence and cache usage", AnthropicStreams.STOP_SEQUENCE_WITH_CACHE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  @DisplayName(
      "decoder then encoder keeps the message: id, model, blocks and their indexes, tool ids, thinking"
          + " signature, stop reason and sequence, usage")
  void roundTrip(String name, List<JsonObject> upstream) {
    List<AnthropicEvent> original = upstream.stream().map(AnthropicEvent::of).toList();

    List<AnthropicEvent> relayed = roundTrip(upstream);

    assertThat(accumulate(relayed)).isEqualTo(accumulate(original));
    assertThat(starts(relayed)).isEqualTo(starts(original));
    assertThat(shape(relayed).get(0)).isEqualTo("message_start");
    assertThat(shape(relayed).get(1)).isEqualTo("ping");
    assertThat(relayed.get(0).data()).isEqualTo(original.get(0).data());
  }

  @Test
  @DisplayName(
      "the tool stream comes back event for event, less the pings and the empty opening input fragment")
  void toolStreamEventForEvent() {
    List<AnthropicEvent> relayed = roundTrip(AnthropicStreams.TEXT_THEN_TWO_TOOLS);

    assertThat(shape(relayed))
        .containsExactly(
            "message_start",
            "ping",
            "start[0]:text",
            "delta[0]:text_delta",
            "stop[0]",
            "start[1]:tool_use",
            "delta[1]:input_json_delta",
            "delta[1]:input_json_delta",
            "stop[1]",
            "start[2]:tool_use",
            "delta[2]:input_json_delta",
            "stop[2]",
            "message_delta",
            "message_stop");
    assertThat(relayed.get(5).data()).isEqualTo(AnthropicStreams.TEXT_THEN_TWO_TOOLS.get(4));
    assertThat(relayed.get(12).data())
        .isEqualTo(
            new JsonObject(
                """
        {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
         "usage": {"input_tokens": 472, "output_tokens": 89}}
        """));
    assertThat(relayed).extracting(AnthropicEvent::toSse).noneMatch(sse -> sse.contains("[DONE]"));
  }

  @Test
  @DisplayName(
      "the strict reader used here rejects what SDKs reject: overlapping blocks, index gaps,"
          + " a delta of the wrong type, no message_stop")
  void strictReaderIsStrict() {
    List<AnthropicEvent> text = AnthropicStreams.TEXT.stream().map(AnthropicEvent::of).toList();
    List<AnthropicEvent> overlapping = new ArrayList<>(text);
    overlapping.add(
        2,
        AnthropicEvent.of(
            new JsonObject(
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")));
    List<AnthropicEvent> gap = new ArrayList<>(text);
    gap.set(
        1,
        AnthropicEvent.of(
            new JsonObject(
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")));
    List<AnthropicEvent> mismatched = new ArrayList<>(text);
    mismatched.set(
        3,
        AnthropicEvent.of(
            new JsonObject(
                "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}")));

    assertThatThrownBy(() -> accumulate(overlapping)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> accumulate(gap)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> accumulate(mismatched)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> accumulate(text.subList(0, text.size() - 1)))
        .isInstanceOf(AssertionError.class);
  }

  private static List<AnthropicEvent> roundTrip(List<JsonObject> upstream) {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    AnthropicStreamEncoder encoder = new AnthropicStreamEncoder();
    List<AnthropicEvent> relayed = new ArrayList<>();
    for (JsonObject event : upstream) {
      for (JsonObject chunk : decoder.onEvent(event)) {
        relayed.addAll(encoder.onChunk(chunk));
      }
    }
    relayed.addAll(encoder.finish());
    return relayed;
  }

  private static List<JsonObject> starts(List<AnthropicEvent> events) {
    return events.stream()
        .filter(event -> event.type().equals("content_block_start"))
        .map(AnthropicEvent::data)
        .toList();
  }
}
