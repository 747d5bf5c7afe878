package io.luthien.policy.api;

import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * Applies a text transform to text that arrives in pieces, so that the pieces released add up to
 * exactly {@code transform(whole text)}: text is held back, and a prefix is released only at a cut
 * the transform does not see across ({@code transform(all) == transform(head) + transform(rest)}).
 * A match split across pieces is therefore still caught, and a partial match never goes out.
 *
 * <p>Where to cut is asked of a cut finder: by default ({@link #StreamedText(UnaryOperator, int)})
 * the last {@code window} characters are always held and the latest verified cut before them is
 * taken ({@link #verifiedCut}), which is right as long as a match is recognised within {@code
 * window} characters of its start. A transform that knows where its matches may still grow (a
 * regex's {@link java.util.regex.Matcher#hitEnd()}) gives its own finder, which holds back only a
 * possible beginning of a match; its cut is still verified, and a cut that fails holds everything.
 */
public final class StreamedText {

  /** Held text beyond this many windows is searched for a cut from its very start. */
  private static final int DEEP_SEARCH_WINDOWS = 16;

  private final UnaryOperator<String> transform;
  private final ToIntFunction<String> cutFinder;
  private final boolean cutsVerified;
  private final boolean pieceByPiece;
  private final BiConsumer<String, String> released;
  private final StringBuilder pending = new StringBuilder();

  /** Holds back the last {@code window} characters (0: each piece is transformed on its own). */
  public StreamedText(UnaryOperator<String> transform, int window) {
    this(transform, window, (original, result) -> {});
  }

  /**
   * As {@link #StreamedText(UnaryOperator, int)}; {@code released} sees each piece of original text
   * once, with what it became, when it goes out.
   */
  public StreamedText(
      UnaryOperator<String> transform, int window, BiConsumer<String, String> released) {
    if (window < 0) {
      throw new IllegalArgumentException("the hold-back window must be 0 or more, got " + window);
    }
    this.transform = transform;
    this.cutFinder = all -> verifiedCut(all, transform, window);
    this.cutsVerified = true;
    this.pieceByPiece = window == 0;
    this.released = released;
  }

  /**
   * Cuts where {@code cutFinder} says: given the held text, the length of the prefix whose
   * transform no later text can change (0 to hold everything). The cut is verified before release.
   */
  public StreamedText(
      UnaryOperator<String> transform,
      ToIntFunction<String> cutFinder,
      BiConsumer<String, String> released) {
    this.transform = transform;
    this.cutFinder = cutFinder;
    this.cutsVerified = false;
    this.pieceByPiece = false;
    this.released = released;
  }

  /**
   * The latest cut of {@code all} at least {@code window} characters before its end that {@code
   * transform} does not see across; 0 when there is none.
   */
  public static int verifiedCut(String all, UnaryOperator<String> transform, int window) {
    if (all.length() <= window) {
      return 0;
    }
    if (window == 0) {
      return all.length();
    }
    String whole = transform.apply(all);
    int latest = all.length() - window;
    int earliest = all.length() > window * DEEP_SEARCH_WINDOWS ? 1 : Math.max(1, latest - window);
    for (int cut = latest; cut >= earliest; cut--) {
      if (splitsSurrogate(all, cut)) {
        continue;
      }
      if (cutHolds(all, cut, transform.apply(all.substring(0, cut)), whole, transform)) {
        return cut;
      }
    }
    return 0;
  }

  /** Adds {@code piece}; returns what may go out now (often ""). */
  public String append(String piece) {
    if (pieceByPiece && pending.length() == 0) {
      return release(piece);
    }
    pending.append(piece);
    String all = pending.toString();
    int cut = Math.min(cutFinder.applyAsInt(all), all.length());
    if (cut <= 0 || splitsSurrogate(all, cut)) {
      return "";
    }
    String head = all.substring(0, cut);
    String result = transform.apply(head);
    if (!cutsVerified && !cutHolds(all, cut, result, transform)) {
      return "";
    }
    pending.delete(0, cut);
    released.accept(head, result);
    return result;
  }

  /** The stream's text ended: everything held, transformed. */
  public String flush() {
    if (pending.length() == 0) {
      return "";
    }
    String rest = pending.toString();
    pending.setLength(0);
    return release(rest);
  }

  /** Characters held back now. */
  public int held() {
    return pending.length();
  }

  private String release(String original) {
    String result = transform.apply(original);
    released.accept(original, result);
    return result;
  }

  private static boolean cutHolds(
      String all, int cut, String head, UnaryOperator<String> transform) {
    return cutHolds(all, cut, head, transform.apply(all), transform);
  }

  private static boolean cutHolds(
      String all, int cut, String head, String whole, UnaryOperator<String> transform) {
    return whole.startsWith(head)
        && whole.substring(head.length()).equals(transform.apply(all.substring(cut)));
  }

  private static boolean splitsSurrogate(String all, int cut) {
    return cut < all.length() && Character.isLowSurrogate(all.charAt(cut));
  }

  /**
   * Text in pieces that is JSON (a tool call's arguments): the transform applies to what each
   * string says (its escapes decoded, each string a {@link StreamedText} of its own) and to each
   * number, and what it makes is written back as JSON, so valid JSON stays valid whatever the
   * transform puts in. A number the transform changes becomes a string. Text outside strings and
   * numbers passes as it came; a string is written back with only the escapes JSON needs ({@code
   * \"}, {@code \\}, control characters), so an escaped {@code é} comes out as {@code é}.
   */
  public static final class JsonStrings {

    private enum State {
      OUTSIDE,
      STRING,
      ESCAPE,
      UNICODE,
      NUMBER
    }

    private final Supplier<StreamedText> strings;
    private final UnaryOperator<String> numbers;
    private State state = State.OUTSIDE;
    private StreamedText string;
    private final StringBuilder decoded = new StringBuilder();
    private final StringBuilder token = new StringBuilder();

    /**
     * {@code strings} makes the streamed text of each string; {@code numbers} rewrites a whole
     * number.
     */
    public JsonStrings(Supplier<StreamedText> strings, UnaryOperator<String> numbers) {
      this.strings = strings;
      this.numbers = numbers;
    }

    /** {@code json} as a whole, through fresh streamed texts. */
    public static String map(
        String json, Supplier<StreamedText> strings, UnaryOperator<String> numbers) {
      JsonStrings whole = new JsonStrings(strings, numbers);
      return whole.append(json) + whole.flush();
    }

    /** Adds the next piece of JSON text; returns what may go out now. */
    public String append(String piece) {
      StringBuilder out = new StringBuilder(piece.length());
      for (int i = 0; i < piece.length(); i++) {
        read(piece.charAt(i), out);
      }
      if (state == State.STRING || state == State.ESCAPE || state == State.UNICODE) {
        feedString(out);
      }
      return out.toString();
    }

    /** The JSON text ended: everything held; an unfinished string or escape is closed as it is. */
    public String flush() {
      StringBuilder out = new StringBuilder();
      switch (state) {
        case NUMBER -> endNumber(out);
        case STRING, ESCAPE, UNICODE -> {
          feedString(out);
          writeString(string.flush(), out);
          if (state != State.STRING) {
            out.append(token);
          }
        }
        case OUTSIDE -> {}
      }
      state = State.OUTSIDE;
      token.setLength(0);
      return out.toString();
    }

    private void read(char c, StringBuilder out) {
      switch (state) {
        case OUTSIDE -> {
          if (c == '"') {
            out.append(c);
            string = strings.get();
            state = State.STRING;
          } else if (c == '-' || (c >= '0' && c <= '9')) {
            token.append(c);
            state = State.NUMBER;
          } else {
            out.append(c);
          }
        }
        case NUMBER -> {
          if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
            token.append(c);
          } else {
            endNumber(out);
            read(c, out);
          }
        }
        case STRING -> {
          if (c == '\\') {
            token.setLength(0);
            token.append(c);
            state = State.ESCAPE;
          } else if (c == '"') {
            feedString(out);
            writeString(string.flush(), out);
            out.append(c);
            string = null;
            state = State.OUTSIDE;
          } else {
            decoded.append(c);
          }
        }
        case ESCAPE -> {
          token.append(c);
          state = State.STRING;
          if (c != 'u') {
            token.setLength(0);
          }
          switch (c) {
            case 'n' -> decoded.append('\n');
            case 't' -> decoded.append('\t');
            case 'r' -> decoded.append('\r');
            case 'b' -> decoded.append('\b');
            case 'f' -> decoded.append('\f');
            case 'u' -> state = State.UNICODE;
            default -> decoded.append(c);
          }
        }
        case UNICODE -> {
          token.append(c);
          if (token.length() == 6) {
            try {
              decoded.append((char) Integer.parseInt(token.substring(2), 16));
            } catch (NumberFormatException e) {
              decoded.append(token);
            }
            token.setLength(0);
            state = State.STRING;
          }
        }
      }
    }

    private void feedString(StringBuilder out) {
      if (decoded.length() > 0) {
        writeString(string.append(decoded.toString()), out);
        decoded.setLength(0);
      }
    }

    private void endNumber(StringBuilder out) {
      String number = token.toString();
      token.setLength(0);
      state = State.OUTSIDE;
      String result = numbers.apply(number);
      if (result.equals(number)) {
        out.append(number);
      } else {
        out.append('"');
        writeString(result, out);
        out.append('"');
      }
    }

    private static void writeString(String text, StringBuilder out) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          default -> {
            boolean pairedHigh =
                Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean pairedLow =
                Character.isLowSurrogate(c)
                    && i > 0
                    && Character.isHighSurrogate(text.charAt(i - 1));
            if (c < 0x20 || (Character.isSurrogate(c) && !pairedHigh && !pairedLow)) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
    }
  }
}
