package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Anthropic endpoints the gateway does not translate reach the Anthropic provider unchanged, with
 * the gateway's key, instead of a 404.
 */
@ExtendWith(VertxExtension.class)
class ForwardedAnthropicTest {

  private record Seen(HttpMethod method, String uri, MultiMap headers, String body) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              seen.add(
                  new Seen(request.method(), request.uri(), request.headers(), body.toString()));
              if (request.path().startsWith("/v1/files/missing")) {
                request
                    .response()
                    .setStatusCode(404)
                    .putHeader("content-type", "application/json")
                    .end(
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no file\"}}");
                return;
              }
              request
                  .response()
                  .putHeader("content-type", "application/json")
                  .putHeader("request-id", "req_01Fake")
                  .end(
                      new JsonObject()
                          .put("id", "msgbatch_01Fake")
                          .put("type", "message_batch")
                          .encode());
            })
        .onFailure(failed -> request.response().setStatusCode(400).end());
  }

  private GatewayFixture gateway(Vertx vertx) {
    HttpServer anthropic =
        await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + anthropic.actualPort())
            .put("ANTHROPIC_API_KEY", "sk-ant-server"));
  }

  @Test
  @DisplayName(
      "POST /v1/messages/batches goes to Anthropic with its path, query, body and beta header, and"
          + " the server key; the answer comes back as it was")
  void batches(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);
    String body = "{\"requests\":[{\"custom_id\":\"a\",\"params\":{}}]}";

    HttpResponse<Buffer> response =
        await(
            gateway
                .request(HttpMethod.POST, "/v1/messages/batches?beta=true")
                .putHeader("anthropic-version", "2023-06-01")
                .putHeader("anthropic-beta", "message-batches-2024-09-24")
                .putHeader("x-api-key", "sk-client-own")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body)));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo("msgbatch_01Fake");
    assertThat(response.getHeader("request-id")).isEqualTo("req_01Fake");
    Seen request = seen.get(0);
    assertThat(request.method()).isEqualTo(HttpMethod.POST);
    assertThat(request.uri()).isEqualTo("/v1/messages/batches?beta=true");
    assertThat(request.body()).isEqualTo(body);
    assertThat(request.headers().get("anthropic-beta")).isEqualTo("message-batches-2024-09-24");
    assertThat(request.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(request.headers().get("x-api-key")).isEqualTo("sk-ant-server");
  }

  @Test
  @DisplayName(
      "with AUTH_MODE=passthrough the client's own key (x-api-key) or OAuth token (Bearer) is forwarded, not"
          + " the server's")
  void passthroughCredential(Vertx vertx) {
    HttpServer anthropic =
        await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject()
                .put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + anthropic.actualPort())
                .put("ANTHROPIC_API_KEY", "sk-ant-server")
                .put("AUTH_MODE", "passthrough"));

    await(
        gateway
            .request(HttpMethod.GET, "/v1/files/abc")
            .putHeader("anthropic-version", "2023-06-01")
            .putHeader("x-api-key", "sk-ant-api03-client")
            .send());
    await(
        gateway
            .request(HttpMethod.GET, "/v1/files/abc")
            .putHeader("anthropic-version", "2023-06-01")
            .putHeader("authorization", "Bearer sk-ant-oat01-client")
            .send());

    assertThat(seen.get(0).headers().get("x-api-key")).isEqualTo("sk-ant-api03-client");
    assertThat(seen.get(0).headers().get("authorization")).isNull();
    assertThat(seen.get(1).headers().get("authorization")).isEqualTo("Bearer sk-ant-oat01-client");
    assertThat(seen.get(1).headers().get("x-api-key")).isNull();
  }

  @Test
  @DisplayName("GET /v1/files/{id} is forwarded too, and the provider's 404 reaches the client")
  void providerStatusKept(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response =
        await(
            gateway
                .request(HttpMethod.GET, "/v1/files/missing-file")
                .putHeader("anthropic-version", "2023-06-01")
                .send());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("no file");
    assertThat(seen.get(0).method()).isEqualTo(HttpMethod.GET);
  }

  @Test
  @DisplayName(
      "a client that is not Anthropic's (no anthropic-version) still gets the gateway's 404")
  void notAnthropic(Vertx vertx) {
    GatewayFixture gateway = gateway(vertx);

    HttpResponse<Buffer> response =
        await(gateway.request(HttpMethod.POST, "/v1/messages/batches").send());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(seen).isEmpty();
  }
}
