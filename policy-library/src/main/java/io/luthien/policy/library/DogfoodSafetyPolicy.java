package io.luthien.policy.library;

import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.ToolCallPolicy;
import io.luthien.policy.api.ToolCallVerdict;
import io.luthien.policy.library.tools.MessageTemplate;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * luthien-proxy's {@code DogfoodSafetyPolicy}, with its config and defaults: a shell tool's call
 * ({@code tool_names}, compared without case) whose command matches one of {@code blocked_patterns}
 * (regexes, without case, found anywhere in the command) is replaced by {@code blocked_message}
 * ({@code {command}}: the command's first 200 characters; {@code {pattern}}: {@code "regex"}), so
 * an agent working through the gateway cannot take the gateway down. The command is the arguments'
 * {@code command} (an array of words is joined by spaces); when the arguments are not JSON, their
 * text. Each blocked call is recorded as a {@code policy.dogfood_safety.blocked} event with the
 * tool's name and the command.
 */
public final class DogfoodSafetyPolicy extends ToolCallPolicy {

  /** luthien-proxy's defaults: commands that stop the gateway's containers, processes or files. */
  static final List<String> DEFAULT_PATTERNS =
      List.of(
          "docker\\s+compose\\s+(down|stop|rm|kill)",
          "docker-compose\\s+(down|stop|rm|kill)",
          "docker\\s+(stop|kill|rm)\\s",
          "pkill\\s+.*(uvicorn|python|luthien|gateway)",
          "killall\\s+.*(uvicorn|python|luthien)",
          "rm\\s+(-[a-zA-Z]*f[a-zA-Z]*\\s+)?(\\.env|docker-compose|src/luthien)",
          "docker\\s+compose\\s+exec.*psql.*DROP\\s",
          "docker\\s+compose\\s+exec.*psql.*TRUNCATE\\s");

  static final List<String> DEFAULT_TOOL_NAMES =
      List.of("Bash", "bash", "shell", "terminal", "execute", "run_command");

  static final String DEFAULT_MESSAGE =
      "⛔ BLOCKED by DogfoodSafetyPolicy: '{command}' would disrupt the Luthien proxy"
          + " infrastructure. Use a separate terminal for Docker/infrastructure commands while"
          + " dogfooding.";

  private static final int COMMAND_SHOWN = 200;

  private final List<Pattern> patterns;
  private final Set<String> toolNames;
  private final MessageTemplate message;

  public DogfoodSafetyPolicy(PolicyConfig config) {
    config.allowOnly("blocked_patterns", "tool_names", "blocked_message");
    List<String> given =
        config.has("blocked_patterns") ? config.strings("blocked_patterns") : DEFAULT_PATTERNS;
    List<Pattern> compiled = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      try {
        compiled.add(
            Pattern.compile(
                fromPython(given.get(i)), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
      } catch (PatternSyntaxException e) {
        throw config.refused(
            "blocked_patterns[" + i + "]",
            "is not a valid regex: " + e.getDescription() + " in '" + given.get(i) + "'");
      }
    }
    this.patterns = List.copyOf(compiled);
    this.toolNames =
        (config.has("tool_names") ? config.strings("tool_names") : DEFAULT_TOOL_NAMES)
            .stream()
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    try {
      this.message =
          MessageTemplate.of(
              config.string("blocked_message", DEFAULT_MESSAGE), Set.of("command", "pattern"));
    } catch (IllegalArgumentException e) {
      throw config.refused("blocked_message", e.getMessage());
    }
  }

  @Override
  protected Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context) {
    String tool = call.name() == null ? "" : call.name();
    if (!toolNames.contains(tool.toLowerCase(Locale.ROOT))) {
      return Future.succeededFuture(ToolCallVerdict.pass());
    }
    String command = command(call.arguments());
    if (command.isEmpty() || patterns.stream().noneMatch(p -> p.matcher(command).find())) {
      return Future.succeededFuture(ToolCallVerdict.pass());
    }
    String shown = MessageTemplate.truncate(command, COMMAND_SHOWN);
    context.emit(
        "dogfood_safety.blocked", new JsonObject().put("tool_name", tool).put("command", shown));
    return Future.succeededFuture(
        ToolCallVerdict.replace(message.render(Map.of("command", shown, "pattern", "regex"))));
  }

  /**
   * The command as luthien-proxy reads it: the JSON object's {@code command} ("" without one), the
   * text itself when it is not JSON, "" for other JSON values. An array of words is joined by
   * spaces (luthien-proxy would match the list's Python repr).
   */
  static String command(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "";
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(arguments);
    } catch (DecodeException e) {
      return arguments;
    }
    if (!(parsed instanceof JsonObject object)) {
      return "";
    }
    Object command = object.getValue("command");
    if (command == null) {
      return "";
    }
    if (command instanceof JsonArray words) {
      List<String> joined = new ArrayList<>();
      words.forEach(word -> joined.add(String.valueOf(word)));
      return String.join(" ", joined);
    }
    return String.valueOf(command);
  }

  /** Python's named groups ({@code (?P<name>...)}, {@code (?P=name)}) in Java's syntax. */
  static String fromPython(String regex) {
    return regex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
  }
}
