package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.ClientCredential;
import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.error.ApiError;
import java.util.Map;

/**
 * How an OpenAI provider (chat completions or Responses) is authenticated: {@code Authorization:
 * Bearer} with the server's key or the client's credential passed through; an Anthropic credential
 * ({@code sk-ant-…}) is refused before anything is sent.
 */
final class OpenAiCredentials {

  private OpenAiCredentials() {}

  static Map<String, String> bearer(String key) {
    return key == null ? Map.of() : Map.of("Authorization", "Bearer " + key);
  }

  static Map<String, String> headers(UpstreamAuth auth, String serverKey) {
    ClientCredential credential = auth.passedThrough();
    return bearer(credential == null ? serverKey : credential.secret());
  }

  static void checkPassThrough(UpstreamAuth auth, String model, String providerName) {
    ClientCredential credential = auth.passedThrough();
    if (credential != null && credential.isAnthropic()) {
      throw new ApiError(
              401,
              "authentication_error",
              "credential_not_forwardable",
              null,
              "model '"
                  + model
                  + "' is served by the OpenAI-compatible provider '"
                  + providerName
                  + "', which cannot take the Anthropic credential (sk-ant-...) this request"
                  + " carries: call a model served by an Anthropic provider, or use the gateway's"
                  + " own key")
          .asException();
    }
  }
}
