package io.luthien.canonical;

/**
 * Tool-call ids across the two formats: Anthropic's {@code toolu_X} is OpenAI's {@code call_X} and
 * back, so a conversation that crosses formats several times keeps matching ids. Other ids pass
 * unchanged.
 */
public final class ToolIds {

  private static final String ANTHROPIC = "toolu_";
  private static final String OPENAI = "call_";

  private ToolIds() {}

  public static String toOpenAi(String id) {
    return id != null && id.startsWith(ANTHROPIC) ? OPENAI + id.substring(ANTHROPIC.length()) : id;
  }

  public static String toAnthropic(String id) {
    return id != null && id.startsWith(OPENAI) ? ANTHROPIC + id.substring(OPENAI.length()) : id;
  }
}
