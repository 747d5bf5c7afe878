package io.luthien.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whose credential a call's provider request carries ({@code AUTH_MODE}): the server's provider
 * key, the client's own, or either, by which credential the client sent.
 */
public enum AuthMode {
  /** {@code PROXY_API_KEY} is checked (when set); the provider gets the server's key. */
  CLIENT_KEY,
  /** The client's credential goes to the provider as it came; the server's keys are never used. */
  PASSTHROUGH,
  /**
   * {@code PROXY_API_KEY} uses the server's provider key; any other credential is passed through.
   */
  BOTH;

  /** {@code client_key}, {@code passthrough} or {@code both}, any case. */
  public static AuthMode parse(String value) {
    for (AuthMode mode : values()) {
      if (mode.name().equalsIgnoreCase(value.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "AUTH_MODE is '"
            + value
            + "'; known modes: "
            + Arrays.stream(values()).map(AuthMode::configName).collect(Collectors.joining(", ")));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
