package io.luthien.policy.library;

import io.luthien.canonical.ToolCall;
import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.ToolCallPolicy;
import io.luthien.policy.api.ToolCallVerdict;
import io.luthien.policy.library.tools.DangerousCommands;
import io.luthien.policy.library.tools.Glob;
import io.luthien.policy.library.tools.GuardRule;
import io.luthien.policy.library.tools.MessageTemplate;
import io.luthien.policy.library.tools.ToolArguments;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Refuses tool calls by rules, with no model: tools denied or not allowed by name (globs), argument
 * patterns per tool, and built-in presets ({@code dangerous_commands}). A refused call is replaced
 * by the blocked message (the agent reads why and goes on) or, with {@code action: block}, ends the
 * turn; each one is recorded as a {@code policy.tool_call_guard.blocked} event naming the rule.
 *
 * <pre>
 * policy:
 *   class: ToolCallGuardPolicy
 *   config:
 *     preset: dangerous_commands
 *     deny_tools: [WebFetch]
 *     deny_arguments: {Bash: ['\bsudo\b']}
 *     blocked_message: "{tool} was not run: {reason}"
 *     action: replace
 * </pre>
 */
public final class ToolCallGuardPolicy extends ToolCallPolicy {

  static final String DEFAULT_MESSAGE =
      "⛔ The {tool} call was blocked by the gateway's tool-call guard: {reason}.";

  private static final Set<String> PLACEHOLDERS = Set.of("tool", "reason", "rule", "arguments");
  private static final int ARGUMENTS_SHOWN = 200;

  /** The presets by name, each a list of rules. */
  private static final Map<String, Supplier<List<GuardRule>>> PRESETS =
      Map.of(DangerousCommands.NAME, DangerousCommands::rules);

  private static final GuardRule NOT_ALLOWED =
      new GuardRule(
          "allow_tools",
          "the tool is not in allow_tools",
          List.of(),
          GuardRule.Subject.TOOL,
          Pattern.compile(""));

  private final List<GuardRule> rules;
  private final List<Glob> allowTools;
  private final MessageTemplate message;
  private final boolean block;

  public ToolCallGuardPolicy(PolicyConfig config) {
    config.allowOnly(
        "allow_tools",
        "deny_tools",
        "deny_arguments",
        "preset",
        "presets",
        "blocked_message",
        "action");
    List<GuardRule> read = new ArrayList<>();
    for (Glob glob : globs(config, "deny_tools")) {
      read.add(
          new GuardRule(
              "deny_tools:" + glob,
              "the tool matches deny_tools '" + glob + "'",
              List.of(glob),
              GuardRule.Subject.TOOL,
              Pattern.compile("")));
    }
    this.allowTools = globs(config, "allow_tools");
    if (config.has("allow_tools") && allowTools.isEmpty()) {
      throw config.refused("allow_tools", "is empty, which would refuse every tool");
    }
    read.addAll(denyArguments(config));
    for (String preset : presets(config)) {
      read.addAll(PRESETS.get(preset).get());
    }
    this.rules = List.copyOf(read);
    if (rules.isEmpty() && allowTools.isEmpty()) {
      throw config.refused(
          "preset", "is needed when no allow_tools, deny_tools or deny_arguments are given");
    }
    String template = config.string("blocked_message", DEFAULT_MESSAGE);
    try {
      this.message = MessageTemplate.of(template, PLACEHOLDERS);
    } catch (IllegalArgumentException e) {
      throw config.refused("blocked_message", e.getMessage());
    }
    this.block = config.choice("action", "replace", "replace", "block").equals("block");
  }

  @Override
  protected Future<ToolCallVerdict> onToolCall(ToolCall call, PolicyContext context) {
    String tool = call.name() == null ? "" : call.name();
    GuardRule matched = match(tool, ToolArguments.of(call));
    if (matched == null) {
      return Future.succeededFuture(ToolCallVerdict.pass());
    }
    context.emit(
        "tool_call_guard.blocked",
        new JsonObject()
            .put("tool", tool)
            .put("tool_call_id", call.id())
            .put("rule", matched.id())
            .put("action", block ? "block" : "replace"));
    String text =
        message.render(
            Map.of(
                "tool", tool,
                "reason", matched.reason(),
                "rule", matched.id(),
                "arguments",
                    MessageTemplate.truncate(
                        call.arguments() == null ? "" : call.arguments(), ARGUMENTS_SHOWN)));
    return Future.succeededFuture(
        block ? ToolCallVerdict.block(text) : ToolCallVerdict.replace(text));
  }

  /** The first rule that refuses the call, or null. */
  private GuardRule match(String tool, ToolArguments arguments) {
    for (GuardRule rule : rules) {
      if (rule.subject() == GuardRule.Subject.TOOL && rule.matches(tool, arguments)) {
        return rule;
      }
    }
    if (!allowTools.isEmpty() && allowTools.stream().noneMatch(glob -> glob.matches(tool))) {
      return NOT_ALLOWED;
    }
    for (GuardRule rule : rules) {
      if (rule.subject() != GuardRule.Subject.TOOL && rule.matches(tool, arguments)) {
        return rule;
      }
    }
    return null;
  }

  private static List<Glob> globs(PolicyConfig config, String key) {
    List<String> given = config.strings(key);
    List<Glob> globs = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      globs.add(glob(config, key + "[" + i + "]", given.get(i)));
    }
    return List.copyOf(globs);
  }

  private static Glob glob(PolicyConfig config, String key, String glob) {
    try {
      return Glob.of(glob);
    } catch (IllegalArgumentException e) {
      throw config.refused(key, "is not a usable glob: " + e.getMessage());
    }
  }

  /** {@code deny_arguments: {<tool glob>: [regex, ...] | regex}}. */
  private static List<GuardRule> denyArguments(PolicyConfig config) {
    JsonObject byTool = config.object("deny_arguments");
    if (byTool == null) {
      return List.of();
    }
    List<GuardRule> rules = new ArrayList<>();
    for (String tool : byTool.fieldNames()) {
      String key = "deny_arguments." + tool;
      Glob glob = glob(config, key, tool);
      Object value = byTool.getValue(tool);
      List<Object> regexes = new ArrayList<>();
      if (value instanceof JsonArray array) {
        array.forEach(regexes::add);
      } else if (value != null) {
        regexes.add(value);
      }
      if (regexes.isEmpty()) {
        throw config.refused(key, "must be a regex or a list of regexes");
      }
      for (int i = 0; i < regexes.size(); i++) {
        String at = value instanceof JsonArray ? key + "[" + i + "]" : key;
        if (!(regexes.get(i) instanceof String regex)) {
          throw config.refused(at, "must be a regex (a string), got " + regexes.get(i));
        }
        try {
          rules.add(
              new GuardRule(
                  "deny_arguments:" + tool + ":" + regex,
                  "its arguments match '" + regex + "'",
                  List.of(glob),
                  GuardRule.Subject.ARGUMENTS,
                  Pattern.compile(regex)));
        } catch (PatternSyntaxException e) {
          throw config.refused(
              at, "is not a valid regex: " + e.getDescription() + " in '" + regex + "'");
        }
      }
    }
    return rules;
  }

  /** {@code preset: name | [names]} and {@code presets: [names]}, each a known preset. */
  private static Set<String> presets(PolicyConfig config) {
    Set<String> presets = new LinkedHashSet<>();
    for (String key : List.of("preset", "presets")) {
      Object value = config.json().getValue(key);
      List<String> names =
          value instanceof String name
              ? List.of(name)
              : value == null ? List.of() : config.strings(key);
      for (String name : names) {
        if (!PRESETS.containsKey(name)) {
          throw config.refused(
              key,
              "names an unknown preset '"
                  + name
                  + "' (known: "
                  + String.join(", ", new TreeSet<>(PRESETS.keySet()))
                  + ")");
        }
        presets.add(name);
      }
    }
    return presets;
  }
}
