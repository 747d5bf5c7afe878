package io.luthien.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Any server that speaks OpenAI's {@code POST {base}/chat/completions}, called through Vert.x's HTTP client. */
final class OpenAiCompatibleProvider implements ChatProvider {

  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamAddress address;
  private final String authorization;
  private final long idleTimeoutMillis;
  private final long connectTimeoutMillis;

  OpenAiCompatibleProvider(Vertx vertx, HttpClient client, String baseUrl, String apiKey, long idleTimeoutMillis,
      long connectTimeoutMillis) {
    this.vertx = vertx;
    this.client = client;
    this.address = UpstreamAddress.parse(baseUrl, "/chat/completions");
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  @Override
  public Future<JsonObject> complete(JsonObject request, Future<Void> clientGone) {
    return client.request(options("application/json"))
        .compose(upstream -> send(upstream, request, clientGone))
        .compose(response -> response.body().map(body -> {
          if (response.statusCode() >= 300) {
            throw UpstreamErrors.fromBody(response.statusCode(), body);
          }
          return completion(body);
        }));
  }

  @Override
  public Future<ChunkStream> stream(JsonObject request, Future<Void> clientGone) {
    return client.request(options("text/event-stream"))
        .compose(upstream -> send(upstream, request, clientGone).compose(response -> {
          if (response.statusCode() >= 300) {
            return response.body().compose(body ->
                Future.failedFuture(UpstreamErrors.fromBody(response.statusCode(), body)));
          }
          return Future.succeededFuture(new HttpChunkStream(vertx, upstream, response, idleTimeoutMillis));
        }));
  }

  /** Until the response head is in, a client that goes away closes the upstream request too. */
  private static Future<HttpClientResponse> send(HttpClientRequest upstream, JsonObject request, Future<Void> clientGone) {
    Future<HttpClientResponse> response = upstream.send(request.toBuffer());
    clientGone.onComplete(gone -> {
      if (!response.isComplete()) {
        upstream.reset();
      }
    });
    return response;
  }

  private RequestOptions options(String accept) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(address.host())
        .setPort(address.port())
        .setSsl(address.ssl())
        .setURI(address.path())
        .setIdleTimeout(idleTimeoutMillis)
        .setConnectTimeout(connectTimeoutMillis)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, accept);
    if (authorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return options;
  }

  private static JsonObject completion(Buffer body) {
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new UpstreamHttpException(502, "upstream_error", "upstream_invalid_response",
          "the upstream provider answered with a body that is not a JSON object");
    }
  }
}
