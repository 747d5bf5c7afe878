package io.luthien.gateway.upstream;

import io.luthien.gateway.GatewaySettings;
import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.error.ApiError;
import io.luthien.shared.Settings;
import io.luthien.shared.YamlFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The providers the gateway can call and the routes that pick one per model. {@code mock}, {@code
 * openai} (from {@code OPENAI_BASE_URL} / {@code OPENAI_API_KEY}) and {@code anthropic} ({@code
 * ANTHROPIC_BASE_URL} / {@code ANTHROPIC_API_KEY}) always exist; a routes file may add more: {@code
 * providers: {name: {type: openai|anthropic, base_url, api_key_env, api: chat|responses}}} ({@code
 * type} defaults to openai, {@code api} to chat; {@code OPENAI_API} sets the built-in openai
 * provider's).
 */
public final class Upstreams {

  private final Map<String, ChatProvider> providers;
  private final Map<String, ProviderKey> keys;
  private final ModelRoutes routes;
  private AnthropicPassthrough anthropicPassthrough;

  private Upstreams(
      Map<String, ChatProvider> providers, Map<String, ProviderKey> keys, ModelRoutes routes) {
    this.providers = providers;
    this.keys = keys;
    this.routes = routes;
  }

  private Upstreams withPassthrough(AnthropicPassthrough passthrough) {
    this.anthropicPassthrough = passthrough;
    return this;
  }

  /** {@code config} resolves the {@code api_key_env} variables the routes file names. */
  public static Future<Upstreams> load(
      Vertx vertx, GatewaySettings settings, HttpClient client, Settings config) {
    Map<String, ChatProvider> providers = new LinkedHashMap<>();
    Map<String, ProviderKey> keys = new LinkedHashMap<>();
    providers.put("mock", new MockProvider(vertx));
    keys.put("mock", ProviderKey.NONE_NEEDED);
    providers.put(
        "openai",
        openAi(
            vertx,
            client,
            settings,
            settings.openAiBaseUrl(),
            settings.openAiApiKey(),
            settings.openAiApi()));
    keys.put(
        "openai",
        ProviderKey.builtIn(
            "OPENAI_API_KEY",
            settings.openAiApiKey(),
            settings.openAiBaseUrl(),
            GatewaySettings.OPENAI_PUBLIC_BASE_URL));
    providers.put(
        "anthropic",
        anthropic(
            vertx, client, settings, settings.anthropicBaseUrl(), settings.anthropicApiKey()));
    keys.put(
        "anthropic",
        ProviderKey.builtIn(
            "ANTHROPIC_API_KEY",
            settings.anthropicApiKey(),
            settings.anthropicBaseUrl(),
            GatewaySettings.ANTHROPIC_PUBLIC_BASE_URL));
    AnthropicPassthrough passthrough =
        new AnthropicPassthrough(
            client,
            settings.anthropicBaseUrl(),
            settings.anthropicApiKey(),
            settings.upstreamTimeoutMillis());
    if (settings.routesPath() == null) {
      return Future.succeededFuture(
          new Upstreams(providers, keys, ModelRoutes.defaults()).withPassthrough(passthrough));
    }
    String origin = settings.routesPath();
    return YamlFiles.read(vertx, origin)
        .map(
            document -> {
              JsonObject declared = document.getJsonObject("providers", new JsonObject());
              for (String name : declared.fieldNames()) {
                if (!(declared.getValue(name) instanceof JsonObject provider)
                    || !(provider.getValue("base_url") instanceof String baseUrl)) {
                  throw new IllegalArgumentException(
                      origin + ": providers." + name + " needs a string 'base_url'");
                }
                String keyVariable = provider.getString("api_key_env");
                String key = keyVariable == null ? null : config.string(keyVariable, null);
                keys.put(
                    name,
                    keyVariable == null
                        ? ProviderKey.NONE_NEEDED
                        : ProviderKey.named(keyVariable, key));
                String type = provider.getString("type", "openai");
                String api = providerApi(origin, name, type, provider);
                switch (type) {
                  case "openai" ->
                      providers.put(name, openAi(vertx, client, settings, baseUrl, key, api));
                  case "anthropic" ->
                      providers.put(name, anthropic(vertx, client, settings, baseUrl, key));
                  default ->
                      throw new IllegalArgumentException(
                          origin
                              + ": providers."
                              + name
                              + ".type is '"
                              + type
                              + "'; known types: openai, anthropic");
                }
              }
              return new Upstreams(
                      providers, keys, ModelRoutes.fromConfig(document, origin, providers))
                  .withPassthrough(passthrough);
            });
  }

  /**
   * A provider's {@code api}: {@code chat} (the default) or {@code responses}, which only an {@code
   * openai} provider speaks.
   */
  private static String providerApi(String origin, String name, String type, JsonObject provider) {
    String api = provider.getString("api", GatewaySettings.PROVIDER_API_CHAT);
    boolean known =
        GatewaySettings.PROVIDER_API_CHAT.equals(api)
            || (GatewaySettings.PROVIDER_API_RESPONSES.equals(api) && "openai".equals(type));
    if (!known) {
      throw new IllegalArgumentException(
          origin
              + ": providers."
              + name
              + ".api is '"
              + api
              + "'; known: chat, and responses for a provider of type openai");
    }
    return api;
  }

  public ModelRoutes routes() {
    return routes;
  }

  /**
   * Whether {@code model} is routed to a provider that speaks the Responses API (false when no
   * route matches: the call is refused later, the way every call is).
   */
  public boolean speaksResponses(String model) {
    return routes
        .find(model)
        .map(target -> providers.get(target.providerName()) instanceof ResponsesBackend)
        .orElse(false);
  }

  private static ChatProvider openAi(
      Vertx vertx,
      HttpClient client,
      GatewaySettings settings,
      String baseUrl,
      String key,
      String api) {
    if (GatewaySettings.PROVIDER_API_RESPONSES.equals(api)) {
      return new OpenAiResponsesProvider(
          vertx,
          client,
          baseUrl,
          key,
          settings.upstreamTimeoutMillis(),
          settings.upstreamConnectTimeoutMillis(),
          settings.upstreamMaxEventBytes());
    }
    return openAiCompatible(vertx, client, settings, baseUrl, key);
  }

  /**
   * The provider a resolved model goes to; refused with a 404 naming the model, the provider and
   * the variable to set when the provider has no key, so that a mistyped model is never sent
   * upstream without one.
   */
  public ChatProvider callable(String model, ModelRoutes.Target target) {
    return callable(model, target, UpstreamAuth.SERVER);
  }

  /**
   * The provider a resolved model goes to with {@code auth}: a passed-through client credential
   * needs no server key, but must be one the provider can take.
   */
  public ChatProvider callable(String model, ModelRoutes.Target target, UpstreamAuth auth) {
    ChatProvider provider = providers.get(target.providerName());
    if (!auth.usesServerKey()) {
      provider.checkPassThrough(auth, model, target.providerName());
      return provider;
    }
    ProviderKey key = keys.get(target.providerName());
    if (key.missing()) {
      throw new ApiError(
              404,
              "invalid_request_error",
              "provider_not_configured",
              "model",
              "model '"
                  + model
                  + "' is routed to provider '"
                  + target.providerName()
                  + "', which has no API key: set "
                  + key.variable()
                  + ", or choose a model from GET /v1/models")
          .asException();
    }
    return provider;
  }

  /**
   * The model lists of the providers that have a key of their own (the ones a routes file or the
   * environment gave a key); one catalog per gateway, its lists cached.
   */
  public ProviderModelCatalog modelCatalog() {
    Map<String, ChatProvider> keyed = new LinkedHashMap<>();
    keys.forEach(
        (name, key) -> {
          if (key.variable() != null && !key.missing()) {
            keyed.put(name, providers.get(name));
          }
        });
    return new ProviderModelCatalog(keyed, System::nanoTime);
  }

  /**
   * The built-in Anthropic provider's forwarding of the endpoints the gateway does not translate;
   * refused with a 404 naming the variable when that provider has no key.
   */
  public AnthropicPassthrough anthropicPassthrough() {
    String missing = missingKeyVariable("anthropic");
    if (missing != null) {
      throw new ApiError(
              404,
              "not_found_error",
              "provider_not_configured",
              null,
              "Anthropic endpoints are forwarded to provider 'anthropic', which has no API key: set "
                  + missing)
          .asException();
    }
    return anthropicPassthrough;
  }

  /** Whether the named provider can be called (it has the key it needs). */
  public boolean reachable(String providerName) {
    return !keys.get(providerName).missing();
  }

  /** The variable that would make the named provider reachable, or null when it is. */
  public String missingKeyVariable(String providerName) {
    ProviderKey key = keys.get(providerName);
    return key.missing() ? key.variable() : null;
  }

  private static ChatProvider anthropic(
      Vertx vertx, HttpClient client, GatewaySettings settings, String baseUrl, String key) {
    return new AnthropicProvider(
        vertx,
        client,
        baseUrl,
        key,
        settings.upstreamTimeoutMillis(),
        settings.upstreamConnectTimeoutMillis(),
        settings.upstreamMaxEventBytes());
  }

  private static ChatProvider openAiCompatible(
      Vertx vertx, HttpClient client, GatewaySettings settings, String baseUrl, String key) {
    return new OpenAiCompatibleProvider(
        vertx,
        client,
        baseUrl,
        key,
        settings.upstreamTimeoutMillis(),
        settings.upstreamConnectTimeoutMillis(),
        settings.upstreamMaxEventBytes());
  }
}
