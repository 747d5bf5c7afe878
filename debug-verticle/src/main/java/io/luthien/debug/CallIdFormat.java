package io.luthien.debug;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Call ids are the gateway's canonical UUID strings; anything else is refused before it reaches
 * SQL.
 */
final class CallIdFormat {

  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private CallIdFormat() {}

  static UUID parse(String text, String what) {
    if (text == null || !CANONICAL.matcher(text).matches()) {
      throw DebugError.badRequest(
          what + " must be a UUID like 0b6f6a8e-5f0c-4c4e-9a55-2f1f0c1d2e3f");
    }
    return UUID.fromString(text);
  }
}
