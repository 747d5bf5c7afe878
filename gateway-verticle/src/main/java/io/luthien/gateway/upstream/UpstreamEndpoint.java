package io.luthien.gateway.upstream;

import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.HttpChunkStream;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
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
import java.util.Map;

/**
 * One provider endpoint reached through Vert.x's HTTP client: a JSON request in, a JSON answer or
 * an SSE stream out, an error answer read into an {@link UpstreamHttpException}. The request
 * carries the W3C {@code traceparent} of the call's {@code llm.completion} span and nothing else of
 * the trace: the call id travels as baggage, and it is none of the provider's business.
 */
final class UpstreamEndpoint {

  private static final TextMapSetter<RequestOptions> HEADERS =
      (options, name, value) -> options.putHeader(name, value);

  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamAddress address;
  private final Map<String, String> headers;
  private final long idleTimeoutMillis;
  private final long connectTimeoutMillis;

  UpstreamEndpoint(
      Vertx vertx,
      HttpClient client,
      UpstreamAddress address,
      Map<String, String> headers,
      long idleTimeoutMillis,
      long connectTimeoutMillis) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.headers = Map.copyOf(headers);
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /**
   * {@code callHeaders} are added to (or replace) the endpoint's own; {@code query} (null when
   * none) is appended to its path.
   */
  Future<JsonObject> post(
      JsonObject body,
      Map<String, String> callHeaders,
      String query,
      Future<Void> clientGone,
      Context trace) {
    return client
        .request(options("application/json", callHeaders, query, trace))
        .compose(upstream -> send(upstream, body, clientGone))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        answer -> {
                          if (response.statusCode() >= 300) {
                            throw UpstreamErrors.fromBody(response.statusCode(), answer);
                          }
                          return json(answer);
                        }));
  }

  /**
   * Succeeds once the provider accepted the request: the stream's events are then the data of its
   * SSE lines.
   */
  Future<ChunkStream> postForStream(
      JsonObject body,
      Map<String, String> callHeaders,
      String query,
      Future<Void> clientGone,
      Context trace) {
    return client
        .request(options("text/event-stream", callHeaders, query, trace))
        .compose(
            upstream ->
                send(upstream, body, clientGone)
                    .compose(
                        response -> {
                          if (response.statusCode() >= 300) {
                            return response
                                .body()
                                .compose(
                                    answer ->
                                        Future.failedFuture(
                                            UpstreamErrors.fromBody(
                                                response.statusCode(), answer)));
                          }
                          return Future.succeededFuture(
                              HttpChunkStream.open(vertx, upstream, response, idleTimeoutMillis));
                        }));
  }

  /** Until the response head is in, a client that goes away closes the upstream request too. */
  private static Future<HttpClientResponse> send(
      HttpClientRequest upstream, JsonObject body, Future<Void> clientGone) {
    Future<HttpClientResponse> response = upstream.send(body.toBuffer());
    clientGone.onComplete(
        gone -> {
          if (!response.isComplete()) {
            upstream.reset();
          }
        });
    return response;
  }

  private RequestOptions options(
      String accept, Map<String, String> callHeaders, String query, Context trace) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(address.host())
            .setPort(address.port())
            .setSsl(address.ssl())
            .setURI(
                query == null || query.isEmpty() ? address.path() : address.path() + "?" + query)
            .setIdleTimeout(idleTimeoutMillis)
            .setConnectTimeout(connectTimeoutMillis)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.ACCEPT, accept);
    headers.forEach(
        (name, value) -> {
          if (!callHeaders.containsKey(name)) {
            options.putHeader(name, value);
          }
        });
    callHeaders.forEach(options::putHeader);
    W3CTraceContextPropagator.getInstance().inject(trace, options, HEADERS);
    return options;
  }

  private static JsonObject json(Buffer body) {
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw UpstreamHttpException.unreadable(
          "upstream_invalid_response",
          "the upstream provider answered with a body that is not a JSON object");
    }
  }
}
