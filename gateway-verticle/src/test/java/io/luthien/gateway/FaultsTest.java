package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class FaultsTest {

  private static JsonObject error(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @ParameterizedTest(name = "upstream {0} → client {0}")
  @ValueSource(ints = {400, 404, 429, 500, 503})
  @DisplayName("an upstream error status reaches the client with the upstream's own message")
  void upstreamErrorStatus(int status, Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.failWith(
        status,
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("message", "upstream says no (" + status + ")")
                    .put("type", "upstream_type")
                    .put("code", "why"))
            .encode());

    HttpResponse<Buffer> whole = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));
    HttpResponse<Buffer> streamed =
        gateway.post(GatewayFixture.chat("gpt-4o", "hi").put("stream", true));

    for (HttpResponse<Buffer> response : List.of(whole, streamed)) {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(error(response).getString("message"))
          .isEqualTo("upstream says no (" + status + ")");
      assertThat(error(response).getString("type")).isEqualTo("upstream_type");
    }
  }

  @Test
  @DisplayName("an upstream error with a plain-text body keeps the text as the message")
  void upstreamPlainTextError(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.failWith(502, "Bad Gateway from the provider's load balancer");

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(error(response).getString("message"))
        .isEqualTo("Bad Gateway from the provider's load balancer");
  }

  @Test
  @DisplayName("an unreachable upstream is a 502, streamed or not")
  void upstreamUnreachable(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject().put("OPENAI_BASE_URL", "http://127.0.0.1:" + closedPort + "/v1"));

    HttpResponse<Buffer> whole = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));
    HttpResponse<Buffer> streamed =
        gateway.post(GatewayFixture.chat("gpt-4o", "hi").put("stream", true));

    assertThat(whole.statusCode()).isEqualTo(502);
    assertThat(error(whole).getString("code")).isEqualTo("upstream_unreachable");
    assertThat(streamed.statusCode()).isEqualTo(502);
  }

  @Test
  @DisplayName("an upstream slower than UPSTREAM_TIMEOUT_MS is a 504, streamed or not")
  void upstreamTimeout(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "300"));
    gateway.upstream.delayResponse(2_000);

    HttpResponse<Buffer> whole = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));
    HttpResponse<Buffer> streamed =
        gateway.post(GatewayFixture.chat("gpt-4o", "hi").put("stream", true));

    assertThat(whole.statusCode()).isEqualTo(504);
    assertThat(error(whole).getString("code")).isEqualTo("upstream_timeout");
    assertThat(streamed.statusCode()).isEqualTo(504);
  }

  @Test
  @DisplayName("an upstream that stalls mid-stream ends the stream with an error event, not a hang")
  void upstreamStallsMidStream(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "300"));
    gateway.upstream.streamChunks(3, 0).holdStreamAfterFirstChunk();

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(events).hasSize(2);
    assertThat(new JsonObject(events.get(1)).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_timeout");
  }

  @Test
  @DisplayName("an upstream connection lost mid-stream ends the stream with an error event")
  void upstreamDropsMidStream(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.streamChunks(5, 0).dropStreamAfter(2);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(events).hasSize(3);
    assertThat(new JsonObject(events.get(2)).getJsonObject("error").getString("type"))
        .isEqualTo("upstream_error");
  }

  @Test
  @DisplayName(
      "with no policy consumer on the bus the call is a 503 and the upstream is not called")
  void noPolicyNode(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, null);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(error(response).getString("code")).isEqualTo("policy_unavailable");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a policy that throws is a 500 that names the call id, streamed or not")
  void policyThrows(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.THROW);

    HttpResponse<Buffer> whole = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));
    HttpResponse<Buffer> streamed =
        gateway.post(GatewayFixture.chat("gpt-4o", "hi").put("stream", true));

    for (HttpResponse<Buffer> response : List.of(whole, streamed)) {
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(error(response).getString("message"))
          .contains(response.getHeader("X-Call-ID"))
          .contains("boom");
      assertThat(error(response).getString("code")).isEqualTo("policy_failed");
    }
  }

  @Test
  @DisplayName("a policy that never answers is a 504 after POLICY_TIMEOUT_MS")
  void policySilent(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(vertx, Mode.SILENT, new JsonObject().put("POLICY_TIMEOUT_MS", "200"));

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", "hi"));

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(error(response).getString("code")).isEqualTo("policy_timeout");
  }

  @Test
  @DisplayName(
      "a request the policy blocks gets the policy's status and message, and never reaches the upstream")
  void policyBlocks(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.BLOCK);

    HttpResponse<Buffer> response =
        gateway.post(GatewayFixture.chat("gpt-4o", "my password is hunter2"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(error(response).getString("message")).isEqualTo("blocked: secrets are not allowed");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a client that hangs up mid-stream makes the gateway close the upstream request")
  void clientDisconnectCancelsUpstream(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "60000"));
    gateway.upstream.streamChunks(50, 0).holdStreamAfterFirstChunk();

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    await(client.firstEvent());
    await(client.request.connection().close());

    await(gateway.upstream.connectionClosedBeforeEnd());
    assertThat(gateway.upstream.connectionsClosedBeforeEnd()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a policy that fails mid-stream ends the stream with an error event naming the call, and the upstream is closed")
  void policyFailsMidStream(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.THROW_ON_SECOND_CHUNK);
    gateway.upstream.streamChunks(50, 5);

    SseTestClient client = gateway.stream("gpt-4o", "hi");
    List<String> events = client.awaitEnd();

    assertThat(events).hasSize(2);
    JsonObject error = new JsonObject(events.get(1)).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("policy_failed");
    assertThat(error.getString("message"))
        .contains(client.response.getHeader("X-Call-ID"))
        .contains("chunk boom");
    await(gateway.upstream.connectionClosedBeforeEnd());
  }

  @Test
  @DisplayName(
      "a client that hangs up while waiting for a whole completion makes the gateway close the upstream request")
  void clientDisconnectCancelsWholeCompletion(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("UPSTREAM_TIMEOUT_MS", "60000"));
    gateway.upstream.delayResponse(30_000);

    await(
        gateway
            .http
            .request(
                io.vertx.core.http.HttpMethod.POST,
                gateway.port,
                "127.0.0.1",
                "/v1/chat/completions")
            .compose(
                request -> {
                  return request
                      .end(GatewayFixture.chat("gpt-4o", "hi").toBuffer())
                      .compose(sent -> vertx.timer(200))
                      .compose(v -> request.connection().close());
                }));

    await(gateway.upstream.connectionClosedBeforeEnd());
    assertThat(gateway.upstream.connectionsClosedBeforeEnd()).isEqualTo(1);
  }
}
