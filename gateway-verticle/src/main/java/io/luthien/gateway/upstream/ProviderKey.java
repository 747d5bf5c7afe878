package io.luthien.gateway.upstream;

/**
 * Whether a provider has the key it needs: a provider that names a key variable ({@code
 * api_key_env} in the routes file; {@code OPENAI_API_KEY} / {@code ANTHROPIC_API_KEY} for the
 * built-in providers at their public addresses) cannot be called while that variable is unset. A
 * built-in provider pointed at another server (a local model server, a fake) and a declared
 * provider without {@code api_key_env} need none.
 */
record ProviderKey(String variable, boolean present) {

  static final ProviderKey NONE_NEEDED = new ProviderKey(null, true);

  static ProviderKey named(String variable, String key) {
    return new ProviderKey(variable, key != null && !key.isBlank());
  }

  /** A built-in provider's key is required only at the provider's own public address. */
  static ProviderKey builtIn(String variable, String key, String baseUrl, String publicBaseUrl) {
    return key == null && !publicBaseUrl.equals(baseUrl) ? NONE_NEEDED : named(variable, key);
  }

  boolean missing() {
    return !present;
  }
}
