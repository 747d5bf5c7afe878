package io.luthien.gateway.upstream;

import io.luthien.canonical.Canonical;
import io.luthien.gateway.api.AnthropicClientApi;
import io.luthien.gateway.api.AnthropicHeaders;
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
 * {@code count_tokens} is Anthropic's own count, forwarded.
 */
final class AnthropicProvider implements ChatProvider {

  private static final String MODELS_PATH = "/v1/models";

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
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(AnthropicHeaders.VERSION, AnthropicHeaders.DEFAULT_VERSION);
    if (apiKey != null) {
      headers.put("x-api-key", apiKey);
    }
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
    this.models =
        new ModelListing(
            client, UpstreamAddress.parse(baseUrl, MODELS_PATH + "?limit=1000"), headers);
  }

  @Override
  public Future<JsonObject> complete(JsonObject request, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(AnthropicRequests::fromCanonical)
        .compose(
            body ->
                messages.post(
                    body.put("stream", false),
                    clientHeaders(request),
                    query(request),
                    clientGone,
                    trace))
        .map(AnthropicProvider::canonical);
  }

  @Override
  public Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(AnthropicRequests::fromCanonical)
        .compose(
            body ->
                messages.postForStream(
                    body.put("stream", true),
                    clientHeaders(request),
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
    return countTokens
        .post(request.body(), headers, request.query(), clientGone, trace)
        .map(TokenCount::counted);
  }

  /**
   * The Anthropic client's own headers the request carries ({@code anthropic-beta}); none for an
   * OpenAI client.
   */
  private static Map<String, String> clientHeaders(JsonObject request) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (request.getValue(Canonical.HEADERS) instanceof JsonObject carried) {
      carried.forEach(header -> headers.put(header.getKey(), String.valueOf(header.getValue())));
    }
    return headers;
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
