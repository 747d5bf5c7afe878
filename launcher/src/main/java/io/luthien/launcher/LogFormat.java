package io.luthien.launcher;

import ch.qos.logback.core.PropertyDefinerBase;
import java.io.Console;
import java.util.Locale;

/**
 * The console log format, chosen when logback starts ({@code <define>} in {@code logback.xml}):
 * {@code LOG_FORMAT=json} or {@code LOG_FORMAT=text} when set; otherwise text for a person at a
 * terminal, and JSON wherever the output goes to a file, a pipe or a log shipper.
 */
public final class LogFormat extends PropertyDefinerBase {

  static final String VARIABLE = "LOG_FORMAT";
  static final String TEXT = "text";
  static final String JSON = "json";

  @Override
  public String getPropertyValue() {
    return choose(System.getenv(VARIABLE), stdoutIsTerminal());
  }

  /**
   * An unknown value logs as if unset, so the line that {@link #requireKnown} makes is still
   * printed.
   */
  static String choose(String configured, boolean terminal) {
    String format = normalized(configured);
    if (TEXT.equals(format) || JSON.equals(format)) {
      return format;
    }
    return terminal ? TEXT : JSON;
  }

  static void requireKnown(String configured) {
    String format = normalized(configured);
    if (format != null && !format.equals(TEXT) && !format.equals(JSON)) {
      throw new IllegalArgumentException(
          VARIABLE
              + " must be json or text (or unset: text on a terminal, "
              + "json otherwise), got '"
              + configured
              + "'");
    }
  }

  /**
   * Until JDK 22 {@code System.console()} is null unless stdin and stdout are both terminals; JDK
   * 22 to 24 return a console in any case, and only {@code Console.isTerminal()} (JDK 22) tells.
   */
  @SuppressWarnings(
      "SystemConsoleNull") // the null check is for JDK 17 to 21; isTerminal() covers 22 and newer
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException beforeJdk22) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private static String normalized(String configured) {
    return configured == null || configured.isBlank()
        ? null
        : configured.trim().toLowerCase(Locale.ROOT);
  }
}
