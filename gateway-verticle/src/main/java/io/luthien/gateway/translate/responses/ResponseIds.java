package io.luthien.gateway.translate.responses;

import java.util.Locale;

/**
 * The ids of one response, all derived from the call's id so that a response can be found again by
 * its call: {@code resp_<call id without dashes>}, and for output item {@code n} {@code item_<call
 * id without dashes>_<n>} (the prefix tells nothing about the item's type, which its {@code type}
 * says).
 *
 * @param callId the gateway's call id (a UUID)
 */
public record ResponseIds(String callId) {

  private static final String RESPONSE_PREFIX = "resp_";

  public String responseId() {
    return RESPONSE_PREFIX + hex();
  }

  String item(int outputIndex) {
    return "item_" + hex() + "_" + outputIndex;
  }

  private String hex() {
    return callId.replace("-", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The call id a response id names, or null when it is not one of this gateway's ({@code resp_}
   * and 32 hex digits).
   */
  public static String callIdOf(String responseId) {
    if (responseId == null
        || !responseId.startsWith(RESPONSE_PREFIX)
        || !responseId.substring(RESPONSE_PREFIX.length()).matches("[0-9a-f]{32}")) {
      return null;
    }
    String hex = responseId.substring(RESPONSE_PREFIX.length());
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }
}
