package io.luthien.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one client connection may hold of the node: at most {@code maxConnections} open at once
 * (counted over every gateway instance of the node; one more is closed the moment it opens), and
 * {@code readTimeoutMillis} to deliver each request, head and body ({@link ReadDeadline}). One
 * instance per gateway verticle: its handlers run on that verticle's event loop.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final String SHARED = "luthien.gateway.connections";

  private final Vertx vertx;
  private final int maxConnections;
  private final long readTimeoutMillis;
  private final OpenConnections open;
  private final Map<HttpConnection, ReadDeadline> deadlines = new HashMap<>();
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
          ReadDeadline deadline = deadlines.remove(connection);
          if (deadline != null) {
            deadline.cancel();
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
    deadlines.put(connection, ReadDeadline.watch(vertx, connection, readTimeoutMillis));
  }

  /** Wraps the server's request handler: each request gets its read deadline. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> requests) {
    return request -> {
      ReadDeadline deadline = deadlines.get(request.connection());
      if (deadline != null) {
        deadline.headReceived(request);
      }
      requests.handle(request);
    };
  }

  /** The node's count of open gateway connections, shared by its gateway instances. */
  private static final class OpenConnections extends AtomicInteger implements Shareable {
    private static final long serialVersionUID = 1L;
  }
}
