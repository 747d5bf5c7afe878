package io.luthien.launcher;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as read in a log line: {@code 3.9 s}, {@code 42 s}, {@code 2 min 13 s}, {@code 5 h 2
 * min}.
 */
final class Elapsed {

  private Elapsed() {}

  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
