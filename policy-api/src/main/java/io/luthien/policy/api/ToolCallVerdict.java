package io.luthien.policy.api;

/** What a tool-call policy decided about one complete tool call. */
public record ToolCallVerdict(Kind kind, String text) {

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

  public static ToolCallVerdict replace(String text) {
    return new ToolCallVerdict(Kind.REPLACE, text == null ? "" : text);
  }

  public static ToolCallVerdict block(String message) {
    return new ToolCallVerdict(Kind.BLOCK, message == null ? "" : message);
  }
}
