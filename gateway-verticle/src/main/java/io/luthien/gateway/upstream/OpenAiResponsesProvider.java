package io.luthien.gateway.upstream;

import io.luthien.gateway.auth.UpstreamAuth;
import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.HttpChunkStream;
import io.luthien.gateway.stream.ResponsesChunkStream;
import io.luthien.gateway.translate.responses.ResponsesAnswers;
import io.luthien.gateway.translate.responses.ResponsesBackendRequests;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A server that speaks OpenAI's Responses API, {@code POST {base}/responses} (OpenAI itself with
 * {@code OPENAI_API=responses}, or a routes file's provider with {@code api: responses}). A
 * Responses client's call passes through ({@link ResponsesBackend}); a call of the other APIs is
 * translated: its canonical request into a Responses request, the answer back into canonical form.
 * Authenticated like an OpenAI-compatible provider ({@link OpenAiCredentials}).
 */
final class OpenAiResponsesProvider implements ChatProvider, ResponsesBackend {

  private final String apiKey;
  private final UpstreamEndpoint endpoint;
  private final ModelListing models;

  OpenAiResponsesProvider(
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
            UpstreamAddress.parse(baseUrl, "/responses"),
            Map.of(),
            idleTimeoutMillis,
            connectTimeoutMillis,
            maxEventBytes);
    this.models =
        new ModelListing(
            client, UpstreamAddress.parse(baseUrl, "/models"), OpenAiCredentials.bearer(apiKey));
  }

  @Override
  public Future<JsonObject> respond(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return endpoint.post(request, OpenAiCredentials.headers(auth, apiKey), null, clientGone, trace);
  }

  @Override
  public Future<ChunkStream> respondStreaming(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return endpoint.postForStream(
        request,
        OpenAiCredentials.headers(auth, apiKey),
        null,
        clientGone,
        trace,
        HttpChunkStream.Completion.BODY_END);
  }

  @Override
  public Future<JsonObject> complete(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(ResponsesBackendRequests::fromChat)
        .compose(body -> respond(body, auth, clientGone, trace))
        .map(ResponsesAnswers::toCanonical);
  }

  @Override
  public Future<ChunkStream> stream(
      JsonObject request, UpstreamAuth auth, Future<Void> clientGone, Context trace) {
    return Future.succeededFuture(request)
        .map(ResponsesBackendRequests::fromChat)
        .compose(body -> respondStreaming(body, auth, clientGone, trace))
        .map(ResponsesChunkStream::canonical);
  }

  @Override
  public void checkPassThrough(UpstreamAuth auth, String model, String providerName) {
    OpenAiCredentials.checkPassThrough(auth, model, providerName);
  }

  @Override
  public Future<List<ProviderModel>> models() {
    return models.list();
  }
}
