package io.luthien.policy.library.tools;

import java.util.regex.Pattern;

/**
 * A tool-name glob: {@code *} any run of characters, {@code ?} one character, {@code [abc]} or
 * {@code [a-z]} one of a set ({@code [!abc]} none of it); everything else stands for itself. Tool
 * names are compared without case, so {@code bash} also names Claude Code's {@code Bash}.
 */
public final class Glob {

  private final String glob;
  private final Pattern pattern;

  private Glob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /**
   * Reads {@code glob}.
   *
   * @throws IllegalArgumentException when it is empty or a {@code [} set is not closed
   */
  public static Glob of(String glob) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("an empty glob matches no tool");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            throw new IllegalArgumentException(
                "'[' at " + i + " is not closed in glob '" + glob + "'");
          }
          String set = glob.substring(i + 1, close);
          boolean negated = set.startsWith("!");
          regex.append(negated ? "[^" : "[");
          for (char member : (negated ? set.substring(1) : set).toCharArray()) {
            // Inside a set only letters, digits and '-' (a range) stand for themselves unescaped.
            if (member != '-' && !Character.isLetterOrDigit(member)) {
              regex.append('\\');
            }
            regex.append(member);
          }
          regex.append(']');
          i = close;
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(
        glob, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  public boolean matches(String name) {
    return name != null && pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
