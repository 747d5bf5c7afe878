package io.luthien.debug.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The admin key, as a client presents it: {@code Authorization: Bearer <key>}, {@code x-api-key:
 * <key>}, or HTTP Basic with the key as password (what lets a browser open the pages: the 401
 * carries a Basic challenge, the browser asks once, then sends it on the page's own requests too).
 * Compared in constant time.
 */
public final class AdminKey {

  public static final String CHALLENGE = "Basic realm=\"luthien-debug\", charset=\"UTF-8\"";

  /** What a request presenting no key or a wrong one is told. */
  public enum Verdict {
    ACCEPTED,
    MISSING,
    INVALID
  }

  private final byte[] expected;

  public AdminKey(String key) {
    this.expected = key.getBytes(StandardCharsets.UTF_8);
  }

  public Verdict check(String authorization, String apiKey) {
    String presented = presented(authorization, apiKey);
    if (presented == null) {
      return Verdict.MISSING;
    }
    return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
        ? Verdict.ACCEPTED
        : Verdict.INVALID;
  }

  public static String describe(Verdict verdict) {
    return verdict == Verdict.MISSING
        ? "missing admin key: send 'Authorization: Bearer <ADMIN_API_KEY>', 'x-api-key' or HTTP Basic"
        : "invalid admin key";
  }

  private static String presented(String authorization, String apiKey) {
    if (authorization != null) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return authorization.substring(7).trim();
      }
      if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return basicPassword(authorization.substring(6).trim());
      }
    }
    return apiKey;
  }

  private static String basicPassword(String encoded) {
    try {
      String userAndPassword =
          new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = userAndPassword.indexOf(':');
      return colon < 0 ? null : userAndPassword.substring(colon + 1);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }
}
