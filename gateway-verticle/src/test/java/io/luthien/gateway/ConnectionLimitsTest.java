package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client connection may hold of the gateway: an idle one is closed, a request that is never
 * fully sent gets a 408 and is closed, and beyond the connection limit new ones are refused; a
 * stream that keeps writing is never cut.
 */
@ExtendWith(VertxExtension.class)
class ConnectionLimitsTest {

  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n";

  /** A raw TCP client: what it has read, and when the gateway closed it. */
  private static final class RawConnection {
    final NetSocket socket;
    final Buffer read = Buffer.buffer();
    final Promise<Long> closedAt = Promise.promise();

    RawConnection(NetSocket socket) {
      this.socket = socket;
      socket.handler(read::appendBuffer);
      socket.closeHandler(v -> closedAt.tryComplete(System.nanoTime()));
    }

    /** Handlers are set on the event loop as it connects: a close at once must not be missed. */
    static RawConnection open(NetClient client, int port) {
      return await(client.connect(port, "127.0.0.1").map(RawConnection::new));
    }

    void send(String text) {
      await(socket.write(text));
    }

    /** Millis from {@code startNanos} until the gateway closed the connection. */
    long closedAfter(long startNanos) throws Exception {
      long closed = closedAt.future().await(10, TimeUnit.SECONDS);
      return TimeUnit.NANOSECONDS.toMillis(closed - startNanos);
    }

    String text() {
      synchronized (read) {
        return read.toString();
      }
    }
  }

  private static GatewayFixture gateway(Vertx vertx, JsonObject limits) {
    return GatewayFixture.start(vertx, Mode.PASS, limits);
  }

  @Test
  @DisplayName("a keep-alive connection left idle is closed after GATEWAY_IDLE_TIMEOUT_MS")
  void idleConnectionClosed(Vertx vertx) throws Exception {
    GatewayFixture gateway = gateway(vertx, new JsonObject().put("GATEWAY_IDLE_TIMEOUT_MS", "400"));
    RawConnection connection = RawConnection.open(vertx.createNetClient(), gateway.port);

    connection.send(HEALTH);
    Eventually.found("the health answer", () -> connection.text().contains("healthy") ? 1 : null);
    long answered = System.nanoTime();

    assertThat(connection.closedAfter(answered)).isBetween(200L, 3_000L);
  }

  @Test
  @DisplayName(
      "a chunked body that never ends gets a 408 in the client's shape and its connection closed")
  void neverEndingBody(Vertx vertx) throws Exception {
    GatewayFixture gateway =
        gateway(vertx, new JsonObject().put("GATEWAY_REQUEST_READ_TIMEOUT_MS", "500"));
    RawConnection connection = RawConnection.open(vertx.createNetClient(), gateway.port);
    long start = System.nanoTime();

    String head =
        String.join(
            "\r\n",
            "POST /v1/messages HTTP/1.1",
            "Host: gateway",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            "",
            "");
    connection.send(head + "5\r\n{\"mod\r\n");
    // keep the connection busy, so that only the read deadline can end it
    long drip =
        vertx.setPeriodic(100, id -> connection.socket.write("1\r\n \r\n").onFailure(e -> {}));

    long closed = connection.closedAfter(start);
    vertx.cancelTimer(drip);
    assertThat(closed).isBetween(400L, 3_000L);
    assertThat(connection.text()).startsWith("HTTP/1.1 408");
    assertThat(connection.text()).contains("\"type\":\"error\"").contains("500 ms");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "a connection that never finishes its request head is closed after the read deadline")
  void slowHead(Vertx vertx) throws Exception {
    GatewayFixture gateway =
        gateway(vertx, new JsonObject().put("GATEWAY_REQUEST_READ_TIMEOUT_MS", "500"));
    RawConnection connection = RawConnection.open(vertx.createNetClient(), gateway.port);
    long start = System.nanoTime();

    connection.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n");
    long drip =
        vertx.setPeriodic(100, id -> connection.socket.write("X: y\r\n").onFailure(e -> {}));

    long closed = connection.closedAfter(start);
    vertx.cancelTimer(drip);
    assertThat(closed).isBetween(400L, 3_000L);
  }

  @Test
  @DisplayName(
      "on a keep-alive connection, a second request whose head trickles in forever gets a 408 and its connection closed")
  void slowSecondHead(Vertx vertx) throws Exception {
    GatewayFixture gateway =
        gateway(vertx, new JsonObject().put("GATEWAY_REQUEST_READ_TIMEOUT_MS", "500"));
    RawConnection connection = RawConnection.open(vertx.createNetClient(), gateway.port);
    connection.send(HEALTH);
    Eventually.found("the first answer", () -> connection.text().contains("healthy") ? 1 : null);
    Thread.sleep(700); // longer than the deadline: a keep-alive pause is no slow request
    long start = System.nanoTime();

    connection.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n");
    long drip =
        vertx.setPeriodic(100, id -> connection.socket.write("X: y\r\n").onFailure(e -> {}));

    long closed = connection.closedAfter(start);
    vertx.cancelTimer(drip);
    assertThat(closed).isBetween(400L, 3_000L);
    String second = connection.text().substring(connection.text().indexOf("healthy"));
    assertThat(second).contains("HTTP/1.1 408").contains("request_timeout").contains("500 ms");
  }

  @Test
  @DisplayName(
      "on a keep-alive connection, a second request whose body trickles in forever gets a 408 and its connection closed")
  void slowSecondBody(Vertx vertx) throws Exception {
    GatewayFixture gateway =
        gateway(vertx, new JsonObject().put("GATEWAY_REQUEST_READ_TIMEOUT_MS", "500"));
    RawConnection connection = RawConnection.open(vertx.createNetClient(), gateway.port);
    connection.send(HEALTH);
    Eventually.found("the first answer", () -> connection.text().contains("healthy") ? 1 : null);
    long start = System.nanoTime();

    String head =
        String.join(
            "\r\n",
            "POST /v1/chat/completions HTTP/1.1",
            "Host: gateway",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            "",
            "");
    connection.send(head + "5\r\n{\"mod\r\n");
    long drip =
        vertx.setPeriodic(100, id -> connection.socket.write("1\r\n \r\n").onFailure(e -> {}));

    long closed = connection.closedAfter(start);
    vertx.cancelTimer(drip);
    assertThat(closed).isBetween(400L, 3_000L);
    assertThat(connection.text()).contains("HTTP/1.1 408");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "beyond GATEWAY_MAX_CONNECTIONS a new connection is closed at once, the open ones keep working, and a freed place is usable")
  void connectionLimit(Vertx vertx) throws Exception {
    GatewayFixture gateway = gateway(vertx, new JsonObject().put("GATEWAY_MAX_CONNECTIONS", "2"));
    NetClient client = vertx.createNetClient();
    RawConnection first = RawConnection.open(client, gateway.port);
    RawConnection second = RawConnection.open(client, gateway.port);
    assertThat(served(first)).isTrue();
    assertThat(served(second)).isTrue();

    long start = System.nanoTime();
    RawConnection third = RawConnection.open(client, gateway.port);
    assertThat(third.closedAfter(start)).isLessThan(2_000L);
    assertThat(third.text()).isEmpty();
    assertThat(served(first)).as("an open connection still works").isTrue();

    await(first.socket.close());
    Eventually.found(
        "a new connection served once the first is gone",
        () -> served(RawConnection.open(client, gateway.port)) ? true : null);
  }

  /** Sends {@code GET /health} on the connection: whether it was answered. */
  private static boolean served(RawConnection connection) {
    int before = connection.text().split("healthy", -1).length;
    connection.socket.write(HEALTH).onFailure(e -> {});
    long deadline = System.currentTimeMillis() + 1_000;
    while (System.currentTimeMillis() < deadline && !connection.closedAt.future().isComplete()) {
      if (connection.text().split("healthy", -1).length > before) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return connection.text().split("healthy", -1).length > before;
  }

  @Test
  @DisplayName("a stream that keeps writing for longer than the idle timeout is not cut")
  void longStreamNotCut(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx, new JsonObject().put("GATEWAY_IDLE_TIMEOUT_MS", "400"));
    gateway.upstream.streamChunks(12, 150);

    SseTestClient stream = gateway.stream("gpt-4o", "tell me a long story");
    List<String> events = stream.awaitEnd();

    assertThat(events).contains("[DONE]");
    assertThat(events.stream().filter(e -> e.contains(FakeUpstream.chunkText(11)))).isNotEmpty();
  }
}
