package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;

import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * A gateway on a free port in front of a fake upstream, with a scripted policy node on the same
 * bus.
 */
final class GatewayFixture {

  final Vertx vertx;
  final FakeUpstream upstream;
  final TestPolicyNode policy;
  final int port;
  final WebClient web;
  final HttpClient http;

  private GatewayFixture(Vertx vertx, FakeUpstream upstream, TestPolicyNode policy, int port) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.policy = policy;
    this.port = port;
    this.web =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.http = vertx.createHttpClient();
  }

  static GatewayFixture start(Vertx vertx, TestPolicyNode.Mode mode) {
    return start(vertx, mode, new JsonObject());
  }

  /** {@code mode == null} starts no policy consumer at all. */
  static GatewayFixture start(Vertx vertx, TestPolicyNode.Mode mode, JsonObject extraConfig) {
    return start(vertx, mode, extraConfig, OpenTelemetry.noop());
  }

  /** A gateway that reports its spans and metrics to {@code telemetry}. */
  static GatewayFixture start(
      Vertx vertx, TestPolicyNode.Mode mode, JsonObject extraConfig, OpenTelemetry telemetry) {
    FakeUpstream upstream = await(FakeUpstream.start(vertx));
    TestPolicyNode policy = mode == null ? null : await(TestPolicyNode.register(vertx, mode));
    JsonObject config =
        new JsonObject()
            .put("HOST", "127.0.0.1")
            .put("GATEWAY_PORT", "0")
            .put("OPENAI_BASE_URL", upstream.baseUrl())
            .put("OPENAI_API_KEY", "sk-upstream-secret")
            .put("POLICY_TIMEOUT_MS", "1000")
            .put("UPSTREAM_TIMEOUT_MS", "1500")
            .mergeIn(extraConfig);
    GatewayVerticle gateway = new GatewayVerticle(telemetry);
    await(vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config)));
    return new GatewayFixture(vertx, upstream, policy, gateway.actualPort());
  }

  static JsonObject chat(String model, String text) {
    return new JsonObject()
        .put("model", model)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  /** Opens a streamed completion of {@code request} (with {@code "stream": true} added). */
  SseTestClient stream(JsonObject request) {
    return SseTestClient.open(http, port, request.copy().put("stream", true));
  }

  SseTestClient stream(String model, String text) {
    return stream(chat(model, text));
  }

  HttpResponse<Buffer> post(JsonObject body) {
    return await(web.post("/v1/chat/completions").sendJsonObject(body));
  }

  HttpResponse<Buffer> postRaw(String body) {
    return await(
        web.post("/v1/chat/completions")
            .putHeader("content-type", "application/json")
            .sendBuffer(Buffer.buffer(body)));
  }

  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return web.request(method, path);
  }
}
