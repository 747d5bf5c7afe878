package io.luthien.gateway.upstream;

import io.luthien.gateway.stream.ChunkStream;
import io.luthien.gateway.stream.HttpChunkStream;
import io.luthien.gateway.stream.PrimedChunkStream;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One provider endpoint reached through Vert.x's HTTP client: a JSON request in, a JSON answer or
 * an SSE stream out, an error answer read into an {@link UpstreamHttpException}. The request
 * carries the W3C {@code traceparent} of the call's {@code llm.completion} span and nothing else of
 * the trace: the call id travels as baggage, and it is none of the provider's business.
 */
final class UpstreamEndpoint {

  private static final String EVENT_STREAM = "text/event-stream";
  private static final int MAX_QUOTED_BYTES = 2_048;
  private static final int MAX_QUOTED_CHARS = 300;
  private static final TextMapSetter<RequestOptions> HEADERS =
      (options, name, value) -> options.putHeader(name, value);

  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamAddress address;
  private final Map<String, String> headers;
  private final long timeoutMillis;
  private final long connectTimeoutMillis;
  private final long maxEventBytes;

  UpstreamEndpoint(
      Vertx vertx,
      HttpClient client,
      UpstreamAddress address,
      Map<String, String> headers,
      long timeoutMillis,
      long connectTimeoutMillis,
      long maxEventBytes) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.headers = Map.copyOf(headers);
    this.timeoutMillis = timeoutMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * {@code callHeaders} are added to (or replace) the endpoint's own; {@code query} (null when
   * none) is appended to its path. The whole answer must be in within the timeout of the request
   * being sent, body included; when it is not, or the client goes away first, the upstream request
   * is reset, which gives its connection back.
   */
  Future<JsonObject> post(
      JsonObject body,
      Map<String, String> callHeaders,
      String query,
      Future<Void> clientGone,
      Context trace) {
    return client
        .request(options("application/json", callHeaders, query, trace))
        .compose(upstream -> wholeAnswer(upstream, send(upstream, body, clientGone), clientGone))
        .map(
            answer -> {
              if (answer.status() >= 300) {
                throw UpstreamErrors.fromBody(answer.status(), answer.body());
              }
              return json(answer.body());
            });
  }

  /**
   * Succeeds once the provider accepted the request and its first event is in (or its stream
   * ended): the stream's events are the data of its SSE lines. A 200 that is no event stream fails
   * with a 502 quoting the start of its body; a body that ends before the stream is complete, by
   * {@code completion}'s measure, fails it with a 502 {@code upstream_stream_truncated}.
   */
  Future<ChunkStream> postForStream(
      JsonObject body,
      Map<String, String> callHeaders,
      String query,
      Future<Void> clientGone,
      Context trace,
      HttpChunkStream.Completion completion) {
    return client
        .request(options("text/event-stream", callHeaders, query, trace))
        .compose(
            upstream ->
                send(upstream, body, clientGone)
                    .compose(
                        response -> {
                          if (response.statusCode() >= 300) {
                            return wholeAnswer(
                                    upstream, Future.succeededFuture(response), clientGone)
                                .compose(
                                    answer ->
                                        Future.failedFuture(
                                            UpstreamErrors.fromBody(
                                                answer.status(), answer.body())));
                          }
                          if (!isEventStream(response)) {
                            return notAnEventStream(upstream, response, clientGone);
                          }
                          return PrimedChunkStream.of(
                              HttpChunkStream.open(
                                  vertx,
                                  upstream,
                                  response,
                                  timeoutMillis,
                                  maxEventBytes,
                                  completion),
                              clientGone);
                        }));
  }

  private static boolean isEventStream(HttpClientResponse response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null
        && type.strip().toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)
        && (type.strip().length() == EVENT_STREAM.length()
            || type.strip().charAt(EVENT_STREAM.length()) == ';');
  }

  /**
   * A 200 to a stream request that is no event stream: the start of its body goes into the error,
   * and the request is reset once that much is in (or when it is late).
   */
  private Future<ChunkStream> notAnEventStream(
      HttpClientRequest upstream, HttpClientResponse response, Future<Void> clientGone) {
    Promise<Buffer> start = Promise.promise();
    clientGone.onComplete(
        gone -> {
          if (start.tryComplete(Buffer.buffer())) {
            upstream.reset();
          }
        });
    Buffer read = Buffer.buffer();
    response.handler(
        bytes -> {
          read.appendBuffer(bytes, 0, Math.min(bytes.length(), MAX_QUOTED_BYTES - read.length()));
          if (read.length() >= MAX_QUOTED_BYTES) {
            start.tryComplete(read);
            upstream.reset();
          }
        });
    response.endHandler(v -> start.tryComplete(read));
    response.exceptionHandler(failure -> start.tryComplete(read));
    return start
        .future()
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .otherwise(
            late -> {
              upstream.reset();
              return read;
            })
        .compose(
            body ->
                Future.failedFuture(
                    UpstreamHttpException.unreadable(
                        "upstream_invalid_response",
                        "the upstream provider answered a stream request with Content-Type '"
                            + response.getHeader(HttpHeaders.CONTENT_TYPE)
                            + "', not text/event-stream: "
                            + quoted(body))));
  }

  private static String quoted(Buffer body) {
    String text = body.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return text.length() > MAX_QUOTED_CHARS ? text.substring(0, MAX_QUOTED_CHARS) + "…" : text;
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

  /** A status and its whole body. */
  private record WholeAnswer(int status, Buffer body) {}

  private Future<WholeAnswer> wholeAnswer(
      HttpClientRequest upstream, Future<HttpClientResponse> head, Future<Void> clientGone) {
    Future<WholeAnswer> answer =
        head.compose(
                response ->
                    response.body().map(body -> new WholeAnswer(response.statusCode(), body)))
            .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .recover(
                failure ->
                    Future.failedFuture(
                        failure instanceof TimeoutException
                            ? new TimeoutException(
                                "no whole answer from the upstream provider within "
                                    + timeoutMillis
                                    + " ms")
                            : failure))
            .onFailure(failure -> upstream.reset());
    clientGone.onComplete(
        gone -> {
          if (!answer.isComplete()) {
            upstream.reset();
          }
        });
    return answer;
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
            .setIdleTimeout(timeoutMillis)
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
