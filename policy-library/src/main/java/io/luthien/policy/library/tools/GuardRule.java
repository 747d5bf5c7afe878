package io.luthien.policy.library.tools;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule of a tool-call guard: calls of the tools it names ({@code tools}; none names every tool)
 * whose {@code subject} matches {@code pattern} somewhere are refused.
 *
 * @param id how events name the rule ({@code deny_tools:Web*}, {@code
 *     dangerous_commands:fork_bomb})
 * @param reason what the agent is told, in the blocked message's {@code {reason}}
 */
public record GuardRule(
    String id, String reason, List<Glob> tools, Subject subject, Pattern pattern) {

  /** What of the call the pattern is matched against. */
  public enum Subject {
    /** Nothing: the tool's name alone decides. */
    TOOL,
    /** The shell commands ({@link ToolArguments#commands()}). */
    COMMAND,
    /** The files written ({@link ToolArguments#paths()}). */
    PATH,
    /** The commands, every string value and the JSON text of the arguments. */
    ARGUMENTS
  }

  public GuardRule {
    tools = List.copyOf(tools);
  }

  public boolean appliesTo(String tool) {
    return tools.isEmpty() || tools.stream().anyMatch(glob -> glob.matches(tool));
  }

  public boolean matches(String tool, ToolArguments arguments) {
    if (!appliesTo(tool)) {
      return false;
    }
    return switch (subject) {
      case TOOL -> true;
      case COMMAND -> anyFind(arguments.commands());
      case PATH -> anyFind(arguments.paths());
      case ARGUMENTS ->
          anyFind(arguments.commands())
              || anyFind(arguments.strings())
              || pattern.matcher(arguments.text()).find();
    };
  }

  private boolean anyFind(List<String> subjects) {
    for (String subject : subjects) {
      if (pattern.matcher(subject).find()) {
        return true;
      }
    }
    return false;
  }
}
