package io.luthien.gateway.upstream;

import io.luthien.canonical.Canonical;
import io.luthien.gateway.api.AnthropicClientApi;
import io.luthien.gateway.api.AnthropicHeaders;
import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.AnthropicChunkStream;
import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.HttpChunkStream;
import io.luthien.gateway.translate.AnthropicRequests;
import io.luthien.gateway.translate.AnthropicResponses;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API, {@code POST {base}/v1/messages}: the canonical request is translated on
 * the way out, the answer (whole, or event by event) back into the canonical shape on the way in.
 * {@code count_tokens} is Anthropic's own count, forwarded. A call is authenticated with the
 * server's key as {@code x-api-key}, or with the client's credential passed through: an API key as
 * {@code x-api-key}, an OAuth token (a Bearer that is no {@code sk-ant-api} key) as {@code
 * Authorization: Bearer}, beside the client's own {@code anthropic-beta}.
 */
final class AnthropicProvider implements ChatProvider {

  private static final String MODELS_PATH = "/v1/models";

  /**
   * The beta Anthropic's API needs beside an OAuth token; added when the client did not opt into an
   * {@code oauth-*} beta itself (an OpenAI client with a Claude subscription token).
   */
  static final String OAUTH_BETA = "oauth-2025-04-20";

  private static final String BETA = "anthropic-beta";

  private final String apiKey;
  private final UpstreamEndpoint messages;
  private final UpstreamEndpoint countTokens;
  private final ModelListing models;

  AnthropicProvider(
      Vertx vertx,
      HttpClient client,
      String baseUrl,
      String apiKey,
      long idleTimeoutMillis,
      long connectTimeoutMillis,
      long maxEventBytes) {
    this.apiKey = apiKey;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(AnthropicHeaders.VERSION, AnthropicHeaders.DEFAULT_VERSION);
    this.messages =
        new UpstreamEndpoint(
            vertx,
            client,
            UpstreamAddress.parse(baseUrl, AnthropicClientApi.PATH),
            headers,
            idleTimeoutMillis,
            connectTimeoutMillis,
            maxEventBytes);
    this.countTokens =
        new UpstreamEndpoint(
            vertx,
            client,
            UpstreamAddress.parse(baseUrl, AnthropicClientApi.COUNT_TOKENS_PATH),
            headers,
            idleTimeoutMillis,
            connectTimeoutMillis,
            maxEventBytes);
    // the provider's own model list is asked for with the server's key, never a client's
    Map<String, String> listing = new LinkedHashMap<>(headers);
    if (apiKey != null) {
      listing.put("x-api-key", apiKey);
    }
    this.models =
        new ModelListing(
            client, UpstreamAddress.parse(baseUrl, MODELS_PATH + "?limit=1000"), listing);
  }

  @Override
  public Future<JsonObject> complete(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(AnthropicRequests::fromCanonical)
        .compose(
            body ->
                messages.post(
                    body.put("stream", false),
                    clientHeaders(request, auth),
                    query(request),
                    clientGone,
                    trace))
        .map(AnthropicProvider::canonical);
  }

  @Override
  public Future<ChunkStream> stream(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(AnthropicRequests::fromCanonical)
        .compose(
            body ->
                messages.postForStream(
                    body.put("stream", true),
                    clientHeaders(request, auth),
                    query(request),
                    clientGone,
                    trace,
                    HttpChunkStream.Completion.BODY_END))
        .map(AnthropicChunkStream::of);
  }

  @Override
  public Future<List<ProviderModel>> models() {
    return models.list();
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return Optional.of(this::countTokens);
  }

  private Future<TokenCount> countTokens(
      TokenCountRequest request, Future<Void> clientGone, Context trace) {
    Map<String, String> headers = new LinkedHashMap<>();
    request
        .headers()
        .forEach(header -> headers.put(header.getKey(), String.valueOf(header.getValue())));
    headers.putAll(authHeaders(request.auth()));
    return countTokens
        .post(request.body(), headers, request.query(), clientGone, trace)
        .map(TokenCount::counted);
  }

  /**
   * The Anthropic client's own headers the request carries ({@code anthropic-beta}; none for an
   * OpenAI client) and the call's credential.
   */
  private Map<String, String> clientHeaders(JsonObject request, UpstreamAuth auth) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (request.getValue(Canonical.HEADERS) instanceof JsonObject carried) {
      carried.forEach(header -> headers.put(header.getKey(), String.valueOf(header.getValue())));
    }
    headers.putAll(authHeaders(auth));
    if (headers.containsKey("Authorization")) {
      String beta = headers.get(BETA);
      if (beta == null || beta.isBlank()) {
        headers.put(BETA, OAUTH_BETA);
      } else if (!beta.contains("oauth-")) {
        headers.put(BETA, beta + "," + OAUTH_BETA);
      }
    }
    return headers;
  }

  private Map<String, String> authHeaders(UpstreamAuth auth) {
    return AnthropicCredentials.headers(auth, apiKey);
  }

  private static String query(JsonObject request) {
    return request.getValue(Canonical.QUERY) instanceof String query ? query : null;
  }

  private static JsonObject canonical(JsonObject message) {
    try {
      return AnthropicResponses.toCanonical(message);
    } catch (RuntimeException e) {
      throw UpstreamHttpException.unreadable(
          "upstream_invalid_response",
          "the Anthropic provider answered with a message the gateway cannot read: "
              + e.getMessage());
    }
  }
}
