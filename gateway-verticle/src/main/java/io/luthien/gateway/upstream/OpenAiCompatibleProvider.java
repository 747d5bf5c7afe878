package io.luthien.gateway.upstream;

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
 * take is refused with a 400).
 */
final class OpenAiCompatibleProvider implements ChatProvider {

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
    this.endpoint =
        new UpstreamEndpoint(
            vertx,
            client,
            UpstreamAddress.parse(baseUrl, "/chat/completions"),
            auth(apiKey),
            idleTimeoutMillis,
            connectTimeoutMillis,
            maxEventBytes);
    this.models = new ModelListing(client, UpstreamAddress.parse(baseUrl, "/models"), auth(apiKey));
  }

  private static Map<String, String> auth(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
  }

  @Override
  public Future<List<ProviderModel>> models() {
    return models.list();
  }

  @Override
  public Future<JsonObject> complete(JsonObject request, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(OpenAiRequests::forOpenAiBackend)
        .compose(body -> endpoint.post(body, Map.of(), null, clientGone, trace));
  }

  @Override
  public Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(OpenAiRequests::forOpenAiBackend)
        .compose(
            body ->
                endpoint.postForStream(
                    body,
                    Map.of(),
                    null,
                    clientGone,
                    trace,
                    HttpChunkStream.Completion.OPENAI_DONE));
  }
}
