package io.luthien.policy.library.redaction;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One kind of thing to redact.
 *
 * @param name the type the replacement and the events name ({@code email}, {@code openai_api_key})
 * @param pattern what a match looks like
 * @param maxLength the longest match: a match is looked for within this many characters of its
 *     start, so a stream holds back no more than this (plus a few characters of look-ahead)
 * @param valid whether a match's text really is one (a checksum); else it stays
 */
public record RedactionPattern(
    String name, Pattern pattern, int maxLength, Predicate<String> valid) {

  public RedactionPattern(String name, String regex, int maxLength) {
    this(name, Pattern.compile(regex), maxLength, text -> true);
  }

  public RedactionPattern(String name, String regex, int maxLength, Predicate<String> valid) {
    this(name, Pattern.compile(regex), maxLength, valid);
  }
}
