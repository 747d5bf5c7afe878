package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.ClientCredential;
import io.luthien.gateway.auth.UpstreamAuth;
import java.util.Map;

/**
 * How a call authenticates at Anthropic: the server's key as {@code x-api-key}; a passed-through
 * Anthropic API key as {@code x-api-key}; any other passed-through Bearer (a Claude subscription's
 * OAuth token) as {@code Authorization: Bearer}.
 */
final class AnthropicCredentials {

  private AnthropicCredentials() {}

  static Map<String, String> headers(UpstreamAuth auth, String serverKey) {
    ClientCredential credential = auth.passedThrough();
    if (credential == null) {
      return serverKey == null ? Map.of() : Map.of("x-api-key", serverKey);
    }
    return credential.isAnthropicApiKey()
        ? Map.of("x-api-key", credential.secret())
        : Map.of("Authorization", "Bearer " + credential.secret());
  }
}
