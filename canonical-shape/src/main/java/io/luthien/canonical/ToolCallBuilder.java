package io.luthien.canonical;

/**
 * One streamed tool call put together from its fragments: the first id given, the name and the
 * arguments as the concatenation of theirs (how OpenAI streams them: id and name first, then the
 * arguments in pieces).
 */
public final class ToolCallBuilder {

  private String id;
  private final StringBuilder name = new StringBuilder();
  private final StringBuilder arguments = new StringBuilder();

  public void add(ToolCallDelta fragment) {
    if (id == null) {
      id = fragment.id();
    }
    if (fragment.name() != null) {
      name.append(fragment.name());
    }
    if (fragment.arguments() != null) {
      arguments.append(fragment.arguments());
    }
  }

  public ToolCall build() {
    return new ToolCall(id, name.toString(), arguments.toString());
  }
}
