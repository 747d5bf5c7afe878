package io.luthien.gateway.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The credential a client presented: {@code Authorization: Bearer <value>} (preferred when both are
 * sent) or {@code x-api-key: <value>}. Its value leaves the gateway only in the provider request it
 * authenticates; {@link #toString()} and everything recorded or logged name it by {@link
 * #fingerprint()} alone.
 */
public final class ClientCredential {

  /** How the client sent it, which says what it is to an Anthropic provider. */
  public enum Kind {
    /** {@code x-api-key}: an API key. */
    API_KEY,
    /** {@code Authorization: Bearer}: an OAuth token for Anthropic, a key for OpenAI. */
    BEARER
  }

  private static final String BEARER = "Bearer ";
  private static final String ANTHROPIC_PREFIX = "sk-ant-";
  private static final String ANTHROPIC_API_KEY_PREFIX = "sk-ant-api";

  private final Kind kind;
  private final String value;
  private final String hash;

  ClientCredential(Kind kind, String value) {
    this.kind = kind;
    this.value = value;
    this.hash = sha256(value);
  }

  /** The credential of {@code request}, or null when it sent none (or only blank ones). */
  public static ClientCredential presented(HttpServerRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = authorization.substring(BEARER.length()).strip();
      if (!token.isEmpty()) {
        return new ClientCredential(Kind.BEARER, token);
      }
    }
    String key = request.getHeader("x-api-key");
    return key == null || key.isBlank() ? null : new ClientCredential(Kind.API_KEY, key.strip());
  }

  public Kind kind() {
    return kind;
  }

  /** The secret itself: for the provider request it authenticates, and nothing else. */
  public String secret() {
    return value;
  }

  /** SHA-256 of the value, hex: what rate limits key on. */
  public String hash() {
    return hash;
  }

  /** The first 12 hex digits of {@link #hash()}: enough to tell two credentials apart in a log. */
  public String fingerprint() {
    return "sha256:" + hash.substring(0, 12);
  }

  /** Constant-time comparison with {@code key} (the proxy key). */
  public boolean matches(String key) {
    return key != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An Anthropic API key or OAuth token ({@code sk-ant-…}): only an Anthropic provider takes it.
   */
  public boolean isAnthropic() {
    return value.startsWith(ANTHROPIC_PREFIX);
  }

  /**
   * What an Anthropic provider should get it as: an Anthropic API key sent as a Bearer (what an
   * OpenAI SDK does with any key) goes as {@code x-api-key}, since Anthropic takes Bearer only for
   * OAuth tokens.
   */
  public boolean isAnthropicApiKey() {
    return kind == Kind.API_KEY || value.startsWith(ANTHROPIC_API_KEY_PREFIX);
  }

  @Override
  public String toString() {
    return "ClientCredential[" + kind + ", " + fingerprint() + "]";
  }

  /** SHA-256 of {@code value}, hex. */
  public static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
