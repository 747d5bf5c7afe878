package io.luthien.policy.api;

import java.util.function.UnaryOperator;

/**
 * Applies a text transform to text that arrives in pieces, so that the pieces released add up to
 * exactly {@code transform(whole text)}: the last {@code window} characters are always held back,
 * and a prefix is released only at a cut the transform does not see across ({@code transform(all)
 * == transform(head) + transform(rest)}). A match split across pieces is therefore still caught,
 * and a partial match never goes out, as long as a match is recognised within {@code window}
 * characters of its start.
 */
public final class StreamedText {

  /** Held text beyond this many windows is searched for a cut from its very start. */
  private static final int DEEP_SEARCH_WINDOWS = 16;

  private final UnaryOperator<String> transform;
  private final int window;
  private final StringBuilder pending = new StringBuilder();

  public StreamedText(UnaryOperator<String> transform, int window) {
    if (window < 0) {
      throw new IllegalArgumentException("the hold-back window must be 0 or more, got " + window);
    }
    this.transform = transform;
    this.window = window;
  }

  /** Adds {@code piece}; returns what may go out now (often ""). */
  public String append(String piece) {
    if (window == 0 && pending.length() == 0) {
      return transform.apply(piece);
    }
    pending.append(piece);
    if (pending.length() <= window) {
      return "";
    }
    String all = pending.toString();
    String whole = transform.apply(all);
    int latest = all.length() - window;
    int earliest = all.length() > window * DEEP_SEARCH_WINDOWS ? 1 : Math.max(1, latest - window);
    for (int cut = latest; cut >= earliest; cut--) {
      if (cut < all.length() && Character.isLowSurrogate(all.charAt(cut))) {
        continue;
      }
      String head = transform.apply(all.substring(0, cut));
      if (whole.startsWith(head) && whole.equals(head + transform.apply(all.substring(cut)))) {
        pending.delete(0, cut);
        return head;
      }
    }
    return "";
  }

  /** The stream's text ended: everything held, transformed. */
  public String flush() {
    if (pending.length() == 0) {
      return "";
    }
    String rest = transform.apply(pending.toString());
    pending.setLength(0);
    return rest;
  }

  /** Characters held back now. */
  public int held() {
    return pending.length();
  }
}
