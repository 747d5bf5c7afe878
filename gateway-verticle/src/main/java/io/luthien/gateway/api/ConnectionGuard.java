package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one client connection may hold of the node: at most {@code maxConnections} open at once
 * (counted over every gateway instance of the node; one more is closed the moment it opens), and
 * {@code readTimeoutMillis} to deliver a request, from the connection's start to its first request
 * head and from each request's head to the end of its body. A request still unread at the deadline
 * is answered 408 and its connection closed. One instance per gateway verticle: its handlers run on
 * that verticle's event loop.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final String SHARED = "luthien.gateway.connections";

  private final Vertx vertx;
  private final int maxConnections;
  private final long readTimeoutMillis;
  private final OpenConnections open;
  private final Map<HttpConnection, Long> awaitingFirstRequest = new HashMap<>();
  private boolean refusing;

  public ConnectionGuard(Vertx vertx, int maxConnections, long readTimeoutMillis) {
    this.vertx = vertx;
    this.maxConnections = maxConnections;
    this.readTimeoutMillis = readTimeoutMillis;
    this.open =
        vertx
            .sharedData()
            .<String, OpenConnections>getLocalMap(SHARED)
            .computeIfAbsent("open", key -> new OpenConnections());
  }

  /** For {@code HttpServer.connectionHandler}. */
  public void connected(HttpConnection connection) {
    int count = open.incrementAndGet();
    connection.closeHandler(
        closed -> {
          open.decrementAndGet();
          Long timer = awaitingFirstRequest.remove(connection);
          if (timer != null) {
            vertx.cancelTimer(timer);
          }
        });
    if (count > maxConnections) {
      // once per spell of refusals: a flood of connections must not become a flood of log lines
      if (!refusing) {
        refusing = true;
        log.warn(
            "refusing new connections (the first from {}): {} open, GATEWAY_MAX_CONNECTIONS is {}",
            connection.remoteAddress(),
            count - 1,
            maxConnections);
      }
      connection
          .close()
          .onFailure(e -> log.debug("closing a refused connection: {}", e.toString()));
      return;
    }
    if (refusing) {
      refusing = false;
      log.info("accepting connections again: {} open", count);
    }
    awaitingFirstRequest.put(
        connection,
        vertx.setTimer(
            readTimeoutMillis,
            id -> {
              if (awaitingFirstRequest.remove(connection) != null) {
                close(connection, "no request head");
              }
            }));
  }

  /** Wraps the server's request handler: each request gets its read deadline. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> requests) {
    return request -> {
      Long firstTimer = awaitingFirstRequest.remove(request.connection());
      if (firstTimer != null) {
        vertx.cancelTimer(firstTimer);
      }
      if (!request.isEnded()) {
        long timer = vertx.setTimer(readTimeoutMillis, id -> expired(request));
        request.end().onComplete(ended -> vertx.cancelTimer(timer));
      }
      requests.handle(request);
    };
  }

  private void expired(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      close(request.connection(), "request body not read in time");
      return;
    }
    ApiError error =
        new ApiError(
            408,
            "invalid_request_error",
            "request_timeout",
            null,
            "the request was not received within " + readTimeoutMillis + " ms");
    response
        .setStatusCode(408)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(ClientApi.forPath(request.path()).errorBody(error).toBuffer())
        .onComplete(written -> close(request.connection(), "request body not read in time"));
  }

  private void close(HttpConnection connection, String why) {
    log.info(
        "closing the connection from {}: {} within GATEWAY_REQUEST_READ_TIMEOUT_MS ({} ms)",
        connection.remoteAddress(),
        why,
        readTimeoutMillis);
    connection.close().onFailure(e -> log.debug("closing a slow connection: {}", e.toString()));
  }

  /** The node's count of open gateway connections, shared by its gateway instances. */
  private static final class OpenConnections extends AtomicInteger implements Shareable {
    private static final long serialVersionUID = 1L;
  }
}
