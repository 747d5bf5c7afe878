package io.luthien.gateway.translate;

import io.luthien.canonical.ToolIds;
import java.util.UUID;

/** One tool call of a stream being encoded for an Anthropic client, by its OpenAI index. */
final class StreamedToolCall {

  enum State {
    PENDING,
    OPEN,
    CLOSED
  }

  final String id;
  final StringBuilder name = new StringBuilder();
  final StringBuilder pending = new StringBuilder();
  final JsonCompleteness json = new JsonCompleteness();
  State state = State.PENDING;

  StreamedToolCall(String openAiId) {
    id =
        openAiId != null && !openAiId.isEmpty()
            ? ToolIds.toAnthropic(openAiId)
            : "toolu_" + UUID.randomUUID().toString().replace("-", "");
  }
}
