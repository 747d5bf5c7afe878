package io.luthien.debug.history;

import java.util.Locale;

/** luthien-proxy's {@code MessageType}: what one {@code ConversationMessage} is. */
enum MessageType {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL_CALL,
  TOOL_RESULT;

  /** Its name on the wire: {@code user}, {@code tool_call}, … */
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the model said (its text and its tool calls), as opposed to what it was given. */
  boolean fromModel() {
    return this == ASSISTANT || this == TOOL_CALL;
  }
}
