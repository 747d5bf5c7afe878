package io.luthien.policy.library.tools;

import io.luthien.canonical.ToolCall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What rules match a tool call's arguments against: the shell command it runs, the files it writes,
 * every string it carries. Agents differ: Claude Code's {@code Bash} gives {@code {"command":
 * "..."}}; Codex's {@code shell} gives {@code {"command": ["bash", "-lc", "..."]}} and its {@code
 * exec_command} {@code {"cmd": "..."}}; file tools name the file in {@code file_path} ({@code
 * Write}, {@code Edit}), {@code path} or {@code notebook_path}; Codex's {@code apply_patch} names
 * them in its patch's {@code *** Update File:} lines.
 */
public final class ToolArguments {

  private static final List<String> COMMAND_KEYS = List.of("command", "cmd");
  private static final List<String> PATH_KEYS =
      List.of("file_path", "path", "notebook_path", "filename", "target_file");
  private static final Set<String> SHELLS =
      Set.of("sh", "bash", "zsh", "dash", "ksh", "fish", "/bin/sh", "/bin/bash", "/bin/zsh");
  private static final Pattern PATCH_FILE =
      Pattern.compile("(?m)^\\*\\*\\* (?:Add File|Update File|Delete File|Move to): (.+?)\\s*$");
  private static final Pattern CONTINUATION = Pattern.compile("\\\\\\r?\\n");

  private final String text;
  private final List<String> commands;
  private final List<String> paths;
  private final List<String> strings;

  private ToolArguments(String text, Object parsed) {
    this.text = text;
    this.strings = collect(parsed, text);
    this.commands = commands(parsed, text);
    this.paths = paths(parsed, strings);
  }

  /** Reads a call's arguments once, for every rule that looks at them. */
  public static ToolArguments of(ToolCall call) {
    String text = call.arguments() == null ? "" : call.arguments();
    return new ToolArguments(text, parse(text));
  }

  /** The arguments' JSON text as the model wrote it. */
  public String text() {
    return text;
  }

  /**
   * The commands a shell tool's call runs, each as one string: the {@code command} or {@code cmd}
   * string; for an array, its elements joined by spaces and, for {@code bash -lc <script>}, the
   * script alone; when the arguments are not JSON, their text. Line continuations are joined.
   */
  public List<String> commands() {
    return commands;
  }

  /** The files a file-writing call names: its path keys, and the files of an apply_patch patch. */
  public List<String> paths() {
    return paths;
  }

  /** Every string value of the arguments, depth first; their text when they are not JSON. */
  public List<String> strings() {
    return strings;
  }

  /** The first command, or "" when the call gives none. */
  public String command() {
    return commands.isEmpty() ? "" : commands.get(0);
  }

  private static List<String> commands(Object parsed, String text) {
    Set<String> commands = new LinkedHashSet<>();
    if (parsed == null) {
      if (!text.isBlank()) {
        commands.add(normalize(text));
      }
      return List.copyOf(commands);
    }
    if (!(parsed instanceof JsonObject arguments)) {
      return List.of();
    }
    for (String key : COMMAND_KEYS) {
      Object value = arguments.getValue(key);
      if (value instanceof String command) {
        commands.add(normalize(command));
      } else if (value instanceof JsonArray argv) {
        List<String> words = new ArrayList<>();
        for (Object word : argv) {
          words.add(String.valueOf(word));
        }
        commands.add(normalize(String.join(" ", words)));
        script(words).ifPresent(script -> commands.add(normalize(script)));
      }
    }
    return List.copyOf(commands);
  }

  /** The script of {@code [shell, -c|-lc|..., script]}, if {@code argv} is one. */
  private static Optional<String> script(List<String> argv) {
    if (argv.isEmpty() || !SHELLS.contains(argv.get(0))) {
      return Optional.empty();
    }
    for (int i = 1; i + 1 < argv.size(); i++) {
      String word = argv.get(i);
      if (word.startsWith("-") && !word.startsWith("--") && word.indexOf('c') > 0) {
        return Optional.of(argv.get(i + 1));
      }
    }
    return Optional.empty();
  }

  private static List<String> paths(Object parsed, List<String> strings) {
    Set<String> paths = new LinkedHashSet<>();
    if (parsed instanceof JsonObject arguments) {
      for (String key : PATH_KEYS) {
        if (arguments.getValue(key) instanceof String path && !path.isBlank()) {
          paths.add(path.strip());
        }
      }
    }
    for (String string : strings) {
      Matcher file = PATCH_FILE.matcher(string);
      while (file.find()) {
        paths.add(file.group(1));
      }
    }
    return List.copyOf(paths);
  }

  private static List<String> collect(Object parsed, String text) {
    if (parsed == null) {
      return text.isEmpty() ? List.of() : List.of(text);
    }
    List<String> strings = new ArrayList<>();
    collect(parsed, strings);
    return List.copyOf(strings);
  }

  private static void collect(Object value, List<String> into) {
    if (value instanceof String string) {
      into.add(string);
    } else if (value instanceof JsonObject object) {
      object.forEach(field -> collect(field.getValue(), into));
    } else if (value instanceof JsonArray array) {
      array.forEach(item -> collect(item, into));
    }
  }

  /** The arguments' JSON value; an empty object when blank; null when not JSON. */
  private static Object parse(String arguments) {
    if (arguments.isBlank()) {
      return new JsonObject();
    }
    try {
      return Json.decodeValue(arguments);
    } catch (DecodeException e) {
      return null;
    }
  }

  /** Joins backslash-newline continuations, so a command split over lines reads as one. */
  static String normalize(String command) {
    return CONTINUATION.matcher(command).replaceAll(" ");
  }
}
