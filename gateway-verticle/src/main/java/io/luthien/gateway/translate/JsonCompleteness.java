package io.luthien.gateway.translate;

/**
 * Tells, fragment by fragment and without parsing, when streamed arguments have closed their outer
 * object.
 */
final class JsonCompleteness {

  private int depth;
  private boolean begun;
  private boolean inString;
  private boolean escaped;

  void feed(String fragment) {
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        begun = true;
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  boolean complete() {
    return begun && depth <= 0 && !inString;
  }
}
