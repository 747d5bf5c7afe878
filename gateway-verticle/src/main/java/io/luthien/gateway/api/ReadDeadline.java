package io.luthien.gateway.api;

import io.luthien.gateway.error.ApiError;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's read deadline: each request, the first or the tenth on a keep-alive
 * connection, has {@code timeoutMillis} to arrive whole. A head's time starts with the connection
 * (the first request) or with the first byte after the previous request's body (the next ones: a
 * keep-alive pause is the idle timeout's business); a body's time starts with its head. A request
 * still unread at its deadline is answered 408 in the client's error shape and the connection
 * closed.
 *
 * <p>Vert.x reports a request only once its head is complete, so the first bytes of a head are seen
 * by a Netty handler at the front of the connection's pipeline (Vert.x's internal {@link
 * ConnectionBase}); where that is not available (or the channel is on another thread than the
 * verticle), only the first head and every body are timed. Everything here runs on the connection's
 * event loop; the timers are Netty's, so that they need no Vert.x context in the read handler.
 */
final class ReadDeadline extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ReadDeadline.class);

  private final Context context;
  private final HttpConnection connection;
  private final long timeoutMillis;
  private EventLoop eventLoop;
  private ChannelHandlerContext front;
  private HttpServerRequest reading;
  private HttpServerRequest last;
  private boolean headBytesSeen;
  private long vertxTimer = -1;
  private ScheduledFuture<?> nettyTimer;

  private ReadDeadline(Context context, HttpConnection connection, long timeoutMillis) {
    this.context = context;
    this.connection = connection;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Watches a new connection (called in the server's connection handler); its first request head is
   * due within the timeout from now.
   */
  static ReadDeadline watch(Vertx vertx, HttpConnection connection, long timeoutMillis) {
    ReadDeadline deadline = new ReadDeadline(vertx.getOrCreateContext(), connection, timeoutMillis);
    if (connection instanceof ConnectionBase base && base.channel().eventLoop().inEventLoop()) {
      deadline.eventLoop = base.channel().eventLoop();
      base.channel().pipeline().addFirst(deadline);
    }
    deadline.start(deadline::headExpired);
    return deadline;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    front = ctx;
  }

  /** Bytes between two requests are the start of the next head: its time starts. */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object bytes) {
    if (reading == null) {
      headBytesSeen = true;
      if (nettyTimer == null && vertxTimer < 0) {
        start(this::headExpired);
      }
    }
    ctx.fireChannelRead(bytes);
  }

  /** The request's head is in: its body is due within the timeout from now. */
  void headReceived(HttpServerRequest request) {
    cancel();
    headBytesSeen = false;
    last = request;
    if (request.isEnded()) {
      return;
    }
    reading = request;
    start(() -> bodyExpired(request));
    request
        .end()
        .onComplete(
            ended -> {
              if (reading == request) {
                reading = null;
                cancel();
              }
            });
  }

  void cancel() {
    if (vertxTimer >= 0) {
      context.owner().cancelTimer(vertxTimer);
      vertxTimer = -1;
    }
    if (nettyTimer != null) {
      nettyTimer.cancel(false);
      nettyTimer = null;
    }
  }

  /** The action runs on the connection's Vert.x context, unless a newer deadline replaced it. */
  private void start(Runnable expired) {
    if (eventLoop == null) {
      vertxTimer =
          context
              .owner()
              .setTimer(
                  timeoutMillis,
                  id -> {
                    if (vertxTimer == id) {
                      vertxTimer = -1;
                      expired.run();
                    }
                  });
      return;
    }
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] =
        eventLoop.schedule(
            () ->
                context.runOnContext(
                    v -> {
                      if (nettyTimer == self[0]) {
                        nettyTimer = null;
                        expired.run();
                      }
                    }),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    nettyTimer = self[0];
  }

  private void headExpired() {
    if (last != null && !last.response().ended() && !last.response().closed()) {
      // a pipelined head waits for the answer before it: its time starts again after
      start(this::headExpired);
      return;
    }
    if (!headBytesSeen) {
      close("no request head");
      return;
    }
    // no request object exists yet: the 408 goes out as raw bytes, between two answers
    Buffer body = OpenAiClientApi.INSTANCE.errorBody(timeout()).toBuffer();
    String head =
        "HTTP/1.1 408 Request Timeout\r\n"
            + "content-type: application/json\r\n"
            + "connection: close\r\n"
            + "content-length: "
            + body.length()
            + "\r\n\r\n";
    if (front != null) {
      // from the front of the pipeline straight to the socket, past Vert.x's HTTP encoder
      front
          .writeAndFlush(
              Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body.getBytes()))
          .addListener(
              written -> context.runOnContext(v -> close("request head not read in time")));
    } else {
      close("request head not read in time");
    }
  }

  private void bodyExpired(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      close("request body not read in time");
      return;
    }
    response
        .setStatusCode(408)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(ClientApi.forPath(request.path()).errorBody(timeout()).toBuffer())
        .onComplete(written -> close("request body not read in time"));
  }

  private ApiError timeout() {
    return new ApiError(
        408,
        "invalid_request_error",
        "request_timeout",
        null,
        "the request was not received within " + timeoutMillis + " ms");
  }

  private void close(String why) {
    log.info(
        "closing the connection from {}: {} within GATEWAY_REQUEST_READ_TIMEOUT_MS ({} ms)",
        connection.remoteAddress(),
        why,
        timeoutMillis);
    connection.close().onFailure(e -> log.debug("closing a slow connection: {}", e.toString()));
  }
}
