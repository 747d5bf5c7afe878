package io.luthien.policy.library;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.TextPolicy;
import io.luthien.policy.library.redaction.Presets;
import io.luthien.policy.library.redaction.RedactionPattern;
import io.luthien.policy.library.redaction.Redactor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Redacts secrets and personal data: the preset patterns ({@code presets}: the groups {@code
 * secrets} and {@code pii}, or single presets by name; both groups by default) and your own ({@code
 * patterns: [{name, regex, max_length}]}), each match replaced by {@code replacement} ({@code
 * "[REDACTED:{type}]"}: {@code {type}} is the pattern's name). Applied to the request's messages
 * ({@code apply_to: request}), the answer ({@code response}) or both (the default); to text, tool
 * results and tool-call arguments (whose JSON stays valid), whole and streamed. A stream holds back
 * only what may still become a match, so a secret split across chunks never goes out in part. Emits
 * {@code redaction} ({@code type}, {@code count}, {@code where}) per type, once per request, answer
 * or stream; never the redacted text.
 */
public final class RegexRedactionPolicy extends TextPolicy {

  /** The longest match of a pattern of your own, unless it says {@code max_length}. */
  public static final int DEFAULT_MAX_LENGTH = 256;

  private final Redactor redactor;
  private final boolean onRequest;
  private final boolean onResponse;

  public RegexRedactionPolicy(PolicyConfig config) {
    config.allowOnly("presets", "patterns", "replacement", "apply_to");
    List<RedactionPattern> patterns = new ArrayList<>(customPatterns(config));
    List<String> presets =
        config.has("presets") ? config.strings("presets") : List.of("secrets", "pii");
    for (int i = 0; i < presets.size(); i++) {
      if (!Presets.names().contains(presets.get(i))) {
        throw config.refused(
            "presets[" + i + "]",
            "is not a preset: '"
                + presets.get(i)
                + "' (known: "
                + String.join(", ", Presets.names())
                + ")");
      }
    }
    patterns.addAll(Presets.select(presets));
    if (patterns.isEmpty()) {
      throw config.refused("presets", "and 'patterns' leave nothing to redact");
    }
    String replacement = config.string("replacement", "[REDACTED:{type}]");
    String applyTo = config.choice("apply_to", "both", "request", "response", "both");
    this.onRequest = !applyTo.equals("response");
    this.onResponse = !applyTo.equals("request");
    this.redactor = new Redactor(patterns, replacement);
  }

  private static List<RedactionPattern> customPatterns(PolicyConfig config) {
    JsonArray entries = config.list("patterns");
    List<RedactionPattern> patterns = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = "patterns[" + i + "]";
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        throw config.refused(key, "must be a mapping {name, regex, max_length}");
      }
      PolicyConfig item = new PolicyConfig(config.policy(), entry);
      try {
        item.allowOnly("name", "regex", "max_length");
      } catch (IllegalArgumentException e) {
        throw config.refused(key, "has an unknown key: " + String.join(", ", unknown(entry)));
      }
      if (!(entry.getValue("name") instanceof String name) || !name.matches("[A-Za-z0-9_-]+")) {
        throw config.refused(key + ".name", "is required (letters, digits, _ or -)");
      }
      if (!(entry.getValue("regex") instanceof String regex) || regex.isEmpty()) {
        throw config.refused(key + ".regex", "is required (a non-empty string)");
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw config.refused(key + ".regex", "is not a valid regex: " + e.getDescription());
      }
      if (pattern.matcher("").matches()) {
        throw config.refused(key + ".regex", "matches the empty string");
      }
      long maxLength;
      try {
        maxLength = item.integer("max_length", DEFAULT_MAX_LENGTH, 1, 65_536);
      } catch (IllegalArgumentException e) {
        throw config.refused(key + ".max_length", "must be a whole number from 1 to 65536");
      }
      patterns.add(new RedactionPattern(name, pattern, (int) maxLength, text -> true));
    }
    return patterns;
  }

  private static List<String> unknown(JsonObject entry) {
    List<String> unknown = new ArrayList<>(entry.fieldNames());
    unknown.removeAll(List.of("name", "regex", "max_length"));
    return unknown;
  }

  @Override
  protected String transform(String text, PolicyContext context) {
    return redactor.redact(text);
  }

  @Override
  protected int releasable(String pending, PolicyContext context) {
    return redactor.releasable(pending);
  }

  @Override
  protected boolean appliesToRequest() {
    return onRequest;
  }

  @Override
  protected boolean appliesToResponse() {
    return onResponse;
  }

  @Override
  protected boolean appliesToToolArguments() {
    return true;
  }

  @Override
  protected void onTextTransformed(
      String original, String transformed, Site site, PolicyContext context) {
    if (!original.equals(transformed)) {
      Tally tally = context.state(Tally.class, Tally::new);
      redactor
          .counts(original)
          .forEach((type, count) -> tally.counts.merge(type, count, Integer::sum));
    }
  }

  @Override
  protected void onTextFinished(Site site, PolicyContext context) {
    Map<String, Integer> counts = context.state(Tally.class, Tally::new).counts;
    counts.forEach(
        (type, count) ->
            context.emit(
                "redaction",
                new JsonObject().put("type", type).put("count", count).put("where", site.label())));
    counts.clear();
  }

  /** Redactions of the current request, answer or stream, by type. */
  private static final class Tally {
    private final Map<String, Integer> counts = new TreeMap<>();
  }
}
