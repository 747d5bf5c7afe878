package io.luthien.policy.library;

import io.luthien.policy.api.PolicyConfig;
import io.luthien.policy.api.PolicyContext;
import io.luthien.policy.api.TextPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * luthien-proxy's string replacement: {@code replacements: [[from, to], ...]} applied in order to
 * the answer's text ({@code apply_to: response}, the default), the request messages' text ({@code
 * request}) or both; literal matches, also across chunks of a stream. With {@code
 * match_capitalization: true} a match ignores case and the replacement takes the match's
 * capitalization (all upper, all lower, title, or letter by letter). Tool calls are not touched.
 * Emits {@code string_replacement.request_modified} / {@code response_modified} once per request,
 * answer or stream that changed, with luthien-proxy's counts.
 */
public final class StringReplacementPolicy extends TextPolicy {

  private final List<Replacement> replacements;
  private final boolean matchCapitalization;
  private final boolean onRequest;
  private final boolean onResponse;
  private final int longest;

  public StringReplacementPolicy(PolicyConfig config) {
    config.allowOnly("replacements", "match_capitalization", "apply_to");
    if (!config.has("replacements")) {
      throw config.refused("replacements", "is required (a list of [from, to] pairs)");
    }
    this.matchCapitalization = config.bool("match_capitalization", false);
    this.replacements = readReplacements(config, matchCapitalization);
    String applyTo = config.choice("apply_to", "response", "request", "response", "both");
    this.onRequest = !applyTo.equals("response");
    this.onResponse = !applyTo.equals("request");
    this.longest = replacements.stream().mapToInt(r -> r.from.length()).max().orElse(0);
  }

  private static List<Replacement> readReplacements(PolicyConfig config, boolean ignoreCase) {
    JsonArray pairs = config.list("replacements");
    List<Replacement> read = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      String key = "replacements[" + i + "]";
      if (!(pairs.getValue(i) instanceof JsonArray pair)
          || pair.size() != 2
          || !(pair.getValue(0) instanceof String from)
          || !(pair.getValue(1) instanceof String to)) {
        throw config.refused(key, "must be a [from, to] pair of two strings");
      }
      if (from.isEmpty()) {
        throw config.refused(key, "has an empty 'from' string");
      }
      read.add(new Replacement(from, to, ignoreCase));
    }
    return List.copyOf(read);
  }

  @Override
  protected String transform(String text, PolicyContext context) {
    return apply(text).text;
  }

  @Override
  protected int holdBack() {
    return longest;
  }

  /**
   * Streamed text goes out up to the last cut no later text can change: one where, at every step of
   * the chain, no end of the text so far could still begin that step's {@code from} (so no match of
   * any step can straddle the cut). Plain text therefore goes out at once instead of always waiting
   * for the longest {@code from} to pass; where no such cut is near the end, the verified hold-back
   * window decides.
   */
  @Override
  protected int releasable(String pending, PolicyContext context) {
    int floor = Math.max(0, pending.length() - longest);
    for (int cut = pending.length(); cut > floor; cut--) {
      boolean splitsPair = cut < pending.length() && Character.isLowSurrogate(pending.charAt(cut));
      if (!splitsPair && noStepCanStraddle(pending.substring(0, cut))) {
        return cut;
      }
    }
    return super.releasable(pending, context);
  }

  private boolean noStepCanStraddle(String head) {
    String stage = head;
    for (Replacement replacement : replacements) {
      if (replacement.mayStartAtEnd(stage)) {
        return false;
      }
      stage = replacement.applyTo(stage, matchCapitalization).text;
    }
    return true;
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
  protected void onTextTransformed(
      String original, String transformed, Site site, PolicyContext context) {
    Tally tally = context.state(Tally.class, Tally::new);
    int count = original.equals(transformed) ? 0 : apply(original).count;
    tally.originalLength += original.length();
    tally.transformedLength += transformed.length();
    if (count > 0) {
      tally.total += count;
      tally.modified++;
    }
  }

  @Override
  protected void onTextFinished(Site site, PolicyContext context) {
    Tally tally = context.state(Tally.class, Tally::new);
    if (tally.total > 0) {
      context.emit(
          site == Site.REQUEST
              ? "string_replacement.request_modified"
              : "string_replacement.response_modified",
          new JsonObject()
              .put("blocks_modified", tally.modified)
              .put("total_replacements", tally.total)
              .put("original_length", tally.originalLength)
              .put("transformed_length", tally.transformedLength)
              .put("streamed", site == Site.STREAM));
    }
    tally.reset();
  }

  /** The text after every replacement in order, and how many substitutions each step made. */
  private Applied apply(String text) {
    String result = text;
    int count = 0;
    for (Replacement replacement : replacements) {
      Applied step = replacement.applyTo(result, matchCapitalization);
      count += step.count;
      result = step.text;
    }
    return new Applied(result, count);
  }

  private record Applied(String text, int count) {}

  private static final class Replacement {
    private final String from;
    private final String to;
    private final Pattern pattern;

    Replacement(String from, String to, boolean ignoreCase) {
      this.from = from;
      this.to = to;
      this.pattern =
          Pattern.compile(
              Pattern.quote(from),
              ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }

    /** {@code text} with this pair's matches replaced, and how many there were: one pass. */
    Applied applyTo(String text, boolean matchCapitalization) {
      Matcher matcher = pattern.matcher(text);
      StringBuilder out = new StringBuilder(text.length());
      int found = 0;
      while (matcher.find()) {
        found++;
        String replaced = matchCapitalization ? Capitalization.apply(matcher.group(), to) : to;
        matcher.appendReplacement(out, Matcher.quoteReplacement(replaced));
      }
      matcher.appendTail(out);
      return new Applied(out.toString(), found);
    }

    /** Whether some end of {@code text} is the beginning of a match that more text could finish. */
    boolean mayStartAtEnd(String text) {
      Matcher matcher = pattern.matcher(text);
      for (int start = Math.max(0, text.length() - from.length() + 1);
          start < text.length();
          start++) {
        matcher.region(start, text.length());
        if (!matcher.lookingAt() && matcher.hitEnd()) {
          return true;
        }
      }
      return false;
    }
  }

  /** luthien-proxy's capitalization matching: the match's pattern given to the replacement. */
  static final class Capitalization {

    private Capitalization() {}

    static String apply(String source, String replacement) {
      List<Boolean> upper = new ArrayList<>();
      for (int i = 0; i < source.length(); i++) {
        char c = source.charAt(i);
        if (Character.isLetter(c)) {
          upper.add(Character.isUpperCase(c));
        }
      }
      boolean allUpper = !upper.isEmpty() && !upper.contains(false);
      boolean allLower = !upper.contains(true);
      if (allUpper) {
        return replacement.toUpperCase(Locale.ROOT);
      }
      if (allLower) {
        return replacement.toLowerCase(Locale.ROOT);
      }
      if (upper.get(0) && !upper.subList(1, upper.size()).contains(true)) {
        return replacement.isEmpty()
            ? replacement
            : replacement.substring(0, 1).toUpperCase(Locale.ROOT)
                + replacement.substring(1).toLowerCase(Locale.ROOT);
      }
      StringBuilder out = new StringBuilder(replacement.length());
      int letter = 0;
      for (int i = 0; i < replacement.length(); i++) {
        char c = replacement.charAt(i);
        if (!Character.isLetter(c)) {
          out.append(c);
        } else if (letter < upper.size()) {
          out.append(upper.get(letter++) ? Character.toUpperCase(c) : Character.toLowerCase(c));
        } else {
          letter++;
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  /** What the current request, answer or stream changed. */
  private static final class Tally {
    private int modified;
    private int total;
    private long originalLength;
    private long transformedLength;

    void reset() {
      modified = 0;
      total = 0;
      originalLength = 0;
      transformedLength = 0;
    }
  }
}
