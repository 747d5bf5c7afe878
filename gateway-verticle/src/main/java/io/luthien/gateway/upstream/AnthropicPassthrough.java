package io.luthien.gateway.upstream;

import io.luthien.gateway.api.AnthropicHeaders;
import io.luthien.gateway.auth.UpstreamAuth;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;

/**
 * Anthropic endpoints the gateway does not translate ({@code /v1/messages/batches}, {@code
 * /v1/files}, {@code /v1/models/{id}} …), forwarded unchanged to the Anthropic provider: method,
 * path and query, the client's headers and body as they came, the answer streamed back as it comes.
 * No policy sees them and nothing is recorded. Only the credential is the gateway's: see {@link
 * #credentials}.
 */
public final class AnthropicPassthrough {

  /** Headers of one connection, not of the request (RFC 9110 §7.6.1), and the client's host. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");

  /** The client's credentials: never forwarded as they are. */
  private static final Set<String> CREDENTIALS = Set.of("x-api-key", "authorization");

  private final HttpClient client;
  private final UpstreamAddress base;
  private final String apiKey;
  private final long idleTimeoutMillis;

  AnthropicPassthrough(HttpClient client, String baseUrl, String apiKey, long idleTimeoutMillis) {
    this.client = client;
    this.base = UpstreamAddress.parse(baseUrl, "");
    this.apiKey = apiKey;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  /**
   * Sends {@code request} on with its body and pipes the provider's answer into {@code response};
   * fails (before any of the answer is written) when the provider cannot be reached.
   */
  public Future<Void> forward(
      HttpServerRequest request, HttpServerResponse response, UpstreamAuth auth) {
    // the body waits for the upstream connection; a request without one has already ended
    boolean hasBody = !request.isEnded();
    if (hasBody) {
      request.pause();
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(base.host())
            .setPort(base.port())
            .setSsl(base.ssl())
            .setURI(base.path() + request.uri())
            .setIdleTimeout(idleTimeoutMillis);
    MultiMap headers = HttpHeaders.headers();
    request
        .headers()
        .forEach(
            header -> {
              String name = header.getKey().toLowerCase(Locale.ROOT);
              if (!HOP_BY_HOP.contains(name) && !CREDENTIALS.contains(name)) {
                headers.add(header.getKey(), header.getValue());
              }
            });
    credentials(headers, auth);
    if (!headers.contains(AnthropicHeaders.VERSION)) {
      headers.add(AnthropicHeaders.VERSION, AnthropicHeaders.DEFAULT_VERSION);
    }
    return client
        .request(options)
        .compose(
            upstream -> {
              upstream.headers().addAll(headers);
              if (!hasBody) {
                return upstream.send();
              }
              if (!headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                upstream.setChunked(true);
              }
              return upstream.send(request);
            })
        .compose(answer -> relay(answer, response));
  }

  /**
   * The credential the provider gets: the gateway's own key, or the client's when {@code AUTH_MODE}
   * passes it through, as for a completion.
   */
  private void credentials(MultiMap headers, UpstreamAuth auth) {
    AnthropicCredentials.headers(auth, apiKey).forEach(headers::set);
  }

  private static Future<Void> relay(HttpClientResponse answer, HttpServerResponse response) {
    response.setStatusCode(answer.statusCode());
    answer
        .headers()
        .forEach(
            header -> {
              if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(header.getKey(), header.getValue());
              }
            });
    if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    return answer.pipeTo(response);
  }
}
