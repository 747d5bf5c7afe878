package io.luthien.policy.api;

import java.util.Objects;

/**
 * What a tool-call policy decided about one complete tool call.
 *
 * @param kind pass, replace or block
 * @param text for {@link Kind#REPLACE} and {@link Kind#BLOCK} the text the client sees (never null,
 *     may be empty); null for {@link Kind#PASS}
 */
public record ToolCallVerdict(Kind kind, String text) {

  public ToolCallVerdict {
    Objects.requireNonNull(kind, "kind");
    text = kind == Kind.PASS ? null : Objects.requireNonNullElse(text, "");
  }

  public enum Kind {
    /** The call goes to the client unchanged. */
    PASS,
    /** The call is dropped and {@link #text()} goes to the client as text in its place. */
    REPLACE,
    /** The whole turn ends with {@link #text()} as its answer and no tool call. */
    BLOCK
  }

  private static final ToolCallVerdict PASS = new ToolCallVerdict(Kind.PASS, null);

  public static ToolCallVerdict pass() {
    return PASS;
  }

  /** The call is dropped; {@code text} (null for none) goes to the client in its place. */
  public static ToolCallVerdict replace(String text) {
    return new ToolCallVerdict(Kind.REPLACE, text);
  }

  /** The turn ends with {@code message} (null for none) and no tool call. */
  public static ToolCallVerdict block(String message) {
    return new ToolCallVerdict(Kind.BLOCK, message);
  }
}
