package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.HttpChunkStream;
import io.luthien.gateway.translate.OpenAiRequests;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Any server that speaks OpenAI's {@code POST {base}/chat/completions}. The canonical request is
 * OpenAI's shape already: only the Anthropic extensions are taken off (and a block OpenAI cannot
 * take is refused with a 400). A call is authenticated with {@code Authorization: Bearer}: the
 * server's key or the client's credential passed through; an Anthropic credential ({@code
 * sk-ant-…}) is refused before anything is sent.
 */
final class OpenAiCompatibleProvider implements ChatProvider {

  private final String apiKey;
  private final UpstreamEndpoint endpoint;
  private final ModelListing models;

  OpenAiCompatibleProvider(
      Vertx vertx,
      HttpClient client,
      String baseUrl,
      String apiKey,
      long idleTimeoutMillis,
      long connectTimeoutMillis,
      long maxEventBytes) {
    this.apiKey = apiKey;
    this.endpoint =
        new UpstreamEndpoint(
            vertx,
            client,
            UpstreamAddress.parse(baseUrl, "/chat/completions"),
            Map.of(),
            idleTimeoutMillis,
            connectTimeoutMillis,
            maxEventBytes);
    this.models =
        new ModelListing(
            client, UpstreamAddress.parse(baseUrl, "/models"), OpenAiCredentials.bearer(apiKey));
  }

  @Override
  public Future<List<ProviderModel>> models() {
    return models.list();
  }

  @Override
  public Future<JsonObject> complete(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(OpenAiRequests::forOpenAiBackend)
        .compose(body -> endpoint.post(body, authHeaders(auth), null, clientGone, trace));
  }

  @Override
  public Future<ChunkStream> stream(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(OpenAiRequests::forOpenAiBackend)
        .compose(
            body ->
                endpoint.postForStream(
                    body,
                    authHeaders(auth),
                    null,
                    clientGone,
                    trace,
                    HttpChunkStream.Completion.OPENAI_DONE));
  }

  @Override
  public void checkPassThrough(UpstreamAuth auth, String model, String providerName) {
    OpenAiCredentials.checkPassThrough(auth, model, providerName);
  }

  private Map<String, String> authHeaders(UpstreamAuth auth) {
    return OpenAiCredentials.headers(auth, apiKey);
  }
}
