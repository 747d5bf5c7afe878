package io.luthien.policy.library.redaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Finds and replaces what its patterns match. A match is looked for within its pattern's {@link
 * RedactionPattern#maxLength} of its start, so what is redacted at a place depends only on the text
 * near it; of matches that overlap, the one that starts first wins, then the earlier pattern. That
 * makes {@link #releasable} possible: how much of streamed text no later text can change.
 */
public final class Redactor {

  /** Characters a pattern may look at beyond its match (its look-ahead). */
  private static final int LOOK_AHEAD = 4;

  /** Held text without whitespace beyond this is cut where it must be, not after whitespace. */
  private static final int WHITESPACE_SEARCH = 4096;

  private final List<RedactionPattern> patterns;
  private final String replacement;

  /** {@code replacement} may name the pattern with {@code {type}}. */
  public Redactor(List<RedactionPattern> patterns, String replacement) {
    this.patterns = List.copyOf(patterns);
    this.replacement = replacement;
  }

  /** One match: where it is and which pattern made it. */
  public record Match(int start, int end, int rank, String type) {}

  public String redact(String text) {
    List<Match> matches = matches(text);
    if (matches.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Match match : matches) {
      out.append(text, at, match.start()).append(replacement.replace("{type}", match.type()));
      at = match.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /** How many of each type {@link #redact} replaces in {@code text}. */
  public Map<String, Integer> counts(String text) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Match match : matches(text)) {
      counts.merge(match.type(), 1, Integer::sum);
    }
    return counts;
  }

  /** The matches {@link #redact} replaces, in order, none overlapping. */
  public List<Match> matches(String text) {
    List<Match> candidates = candidates(text);
    List<Match> chosen = new ArrayList<>();
    int end = 0;
    for (Match candidate : candidates) {
      if (candidate.start() >= end) {
        chosen.add(candidate);
        end = candidate.end();
      }
    }
    return chosen;
  }

  /**
   * The length of the prefix of streamed {@code text} whose redaction no later text can change: it
   * ends before any place where a match may still begin or grow, never inside a match, and (unless
   * the text has no whitespace for long) just after whitespace, so that a pattern that looks behind
   * its start sees there what it would see in the whole text.
   */
  public int releasable(String text) {
    int cut = text.length();
    for (RedactionPattern pattern : patterns) {
      cut = Math.min(cut, undecidedFrom(pattern, text));
    }
    List<Match> candidates = candidates(text);
    int safe = outsideMatches(cut, candidates);
    int afterSpace = safe;
    while (true) {
      while (afterSpace > 0 && !Character.isWhitespace(text.charAt(afterSpace - 1))) {
        afterSpace--;
      }
      int outside = outsideMatches(afterSpace, candidates);
      if (outside == afterSpace) {
        break;
      }
      afterSpace = outside;
    }
    return safe - afterSpace > WHITESPACE_SEARCH ? safe : afterSpace;
  }

  private static int outsideMatches(int cut, List<Match> candidates) {
    int result = cut;
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Match candidate : candidates) {
        if (candidate.start() < result && result < candidate.end()) {
          result = candidate.start();
          moved = true;
        }
      }
    }
    return result;
  }

  /**
   * The first start at which {@code pattern} may still match differently once more text comes:
   * where a match attempt reached the end of the text; the text's length when there is none.
   */
  private static int undecidedFrom(RedactionPattern pattern, String text) {
    int length = text.length();
    int from = Math.max(0, length - pattern.maxLength() - LOOK_AHEAD);
    Matcher matcher = matcher(pattern, text);
    matcher.region(from, length);
    boolean hitEnd = false;
    while (!hitEnd && matcher.find()) {
      hitEnd = matcher.hitEnd();
    }
    if (!hitEnd && !matcher.hitEnd()) {
      return length;
    }
    for (int start = from; start < length; start++) {
      matcher.region(start, Math.min(length, start + pattern.maxLength()));
      matcher.lookingAt();
      if (matcher.hitEnd()) {
        return start;
      }
    }
    return length;
  }

  /** Every valid match of every pattern, by start then pattern. */
  private List<Match> candidates(String text) {
    List<Match> candidates = new ArrayList<>();
    for (int rank = 0; rank < patterns.size(); rank++) {
      RedactionPattern pattern = patterns.get(rank);
      Matcher matcher = matcher(pattern, text);
      int from = 0;
      while (from < text.length()) {
        matcher.region(from, text.length());
        if (!matcher.find()) {
          break;
        }
        int start = matcher.start();
        int end = matcher.end();
        if (end - start > pattern.maxLength()) {
          matcher.region(start, Math.min(text.length(), start + pattern.maxLength()));
          end = matcher.lookingAt() ? matcher.end() : start;
        }
        if (end > start && pattern.valid().test(text.substring(start, end))) {
          candidates.add(new Match(start, end, rank, pattern.name()));
          from = end;
        } else {
          from = start + 1;
        }
      }
    }
    candidates.sort(Comparator.comparingInt(Match::start).thenComparingInt(Match::rank));
    return candidates;
  }

  private static Matcher matcher(RedactionPattern pattern, String text) {
    return pattern.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
  }
}
