package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ChatCompletionsTest {

  @Test
  @DisplayName(
      "a completion reaches the upstream with unknown fields untouched and comes back with a call id")
  void completionPassesThrough(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request =
        GatewayFixture.chat("gpt-4o-mini", "hello")
            .put("temperature", 0.25)
            .put(
                "vendor_extension",
                new JsonObject().put("nested", new JsonArray().add(1).add("two")));

    HttpResponse<Buffer> response = gateway.post(request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(UUID.fromString(response.getHeader("X-Call-ID"))).isNotNull();
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .isEqualTo("fake reply to: hello");
    assertThat(response.bodyAsJsonObject().getString("system_fingerprint")).isEqualTo("fp_fake");
    assertThat(gateway.upstream.requests()).containsExactly(request);
    assertThat(gateway.upstream.requestHeaders().get(0).get("Authorization"))
        .isEqualTo("Bearer sk-upstream-secret");
  }

  @Test
  @DisplayName(
      "the policy sees the call over the bus with the call id in body and header, and its rewrite reaches the client")
  void policyRewritesResponse(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.UPPERCASE);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o-mini", "quiet words"));

    String callId = response.getHeader("X-Call-ID");
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .isEqualTo("FAKE REPLY TO: QUIET WORDS");
    assertThat(gateway.policy.received)
        .hasSize(2)
        .allSatisfy(
            message -> {
              assertThat(message.getString("call_id")).isEqualTo(callId);
              assertThat(message.getString("header_call_id")).isEqualTo(callId);
            });
    assertThat(gateway.policy.received.get(0).getString("api")).isEqualTo("openai");
  }

  @Test
  @DisplayName("a stream arrives as SSE chunks in order, ending with [DONE]")
  void streamEndsWithDone(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.UPPERCASE);
    gateway.upstream.streamChunks(4, 2);

    SseTestClient client = gateway.stream("gpt-4o-mini", "hi");
    List<String> events = client.awaitEnd();

    assertThat(client.response.statusCode()).isEqualTo(200);
    assertThat(client.response.getHeader("content-type")).startsWith("text/event-stream");
    assertThat(client.response.getHeader("X-Call-ID")).isNotBlank();
    assertThat(events).hasSize(6).last().isEqualTo("[DONE]");
    assertThat(client.assistantText()).isEqualTo("PART0 PART1 PART2 PART3 ");
    assertThat(client.event(4).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
    List<JsonObject> sessionMessages =
        gateway.policy.received.stream().filter(m -> m.containsKey("seq")).toList();
    assertThat(sessionMessages)
        .extracting(m -> m.getLong("seq"))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(sessionMessages.get(5).getString("kind")).isEqualTo("close");
  }

  @Test
  @DisplayName("a chunk is forwarded while the upstream is still holding the rest of the stream")
  void streamIsNotBuffered(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.streamChunks(3, 0).holdStreamAfterFirstChunk();

    SseTestClient client = gateway.stream("gpt-4o-mini", "hi");
    await(client.firstEvent());

    assertThat(client.events).hasSize(1);
    assertThat(
            client
                .event(0)
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("delta")
                .getString("content"))
        .isEqualTo(FakeUpstream.chunkText(0));
    gateway.upstream.releaseStream();
    assertThat(client.awaitEnd()).hasSize(5).last().isEqualTo("[DONE]");
  }

  @Test
  @DisplayName(
      "the mock provider echoes the last user message, whole and streamed, with no upstream at all")
  void mockProviderEchoes(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request = GatewayFixture.chat("mock", "ignored");
    request
        .getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", "noted"))
        .add(new JsonObject().put("role", "user").put("content", "echo these words back"));

    HttpResponse<Buffer> whole = gateway.post(request);
    SseTestClient streamed =
        gateway.stream(
            request.copy().put("stream_options", new JsonObject().put("include_usage", true)));
    List<String> events = streamed.awaitEnd();

    JsonObject completion = whole.bodyAsJsonObject();
    assertThat(
            completion
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .isEqualTo("echo these words back");
    assertThat(completion.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(4);
    assertThat(streamed.assistantText()).isEqualTo("echo these words back");
    assertThat(streamed.event(events.size() - 2).getJsonObject("usage").getInteger("total_tokens"))
        .isEqualTo(10);
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("GET /v1/models lists the exactly-named routes and GET /health says healthy")
  void modelsAndHealth(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    JsonObject models =
        await(gateway.request(HttpMethod.GET, "/v1/models").send()).bodyAsJsonObject();
    HttpResponse<Buffer> health = await(gateway.request(HttpMethod.GET, "/health").send());

    assertThat(models.getString("object")).isEqualTo("list");
    assertThat(models.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("mock");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("healthy");
    assertThat(health.getHeader("X-Call-ID")).isNotBlank();
  }

  @Test
  @DisplayName(
      "a routes file sends a model to its provider, under its upstream name and with that provider's key")
  void routesFileRenamesModel(Vertx vertx) throws Exception {
    FakeUpstream other = await(FakeUpstream.start(vertx));
    java.nio.file.Path routes = java.nio.file.Files.createTempFile("routes", ".yaml");
    java.nio.file.Files.writeString(
        routes,
        """
        providers:
          local:
            base_url: %s
            api_key_env: LOCAL_PROVIDER_KEY
        routes:
          - model: house-model
            provider: local
            upstream_model: meta/llama-3-8b
          - model: "*"
            provider: openai
        """
            .formatted(other.baseUrl()));
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            Mode.PASS,
            new JsonObject()
                .put("ROUTES_CONFIG", routes.toString())
                .put("LOCAL_PROVIDER_KEY", "sk-local"));

    assertThat(gateway.post(GatewayFixture.chat("house-model", "hi")).statusCode()).isEqualTo(200);
    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(200);

    assertThat(other.requests())
        .extracting(r -> r.getString("model"))
        .containsExactly("meta/llama-3-8b");
    assertThat(other.requestHeaders().get(0).get("Authorization")).isEqualTo("Bearer sk-local");
    assertThat(gateway.upstream.requests())
        .extracting(r -> r.getString("model"))
        .containsExactly("gpt-4o");
    JsonObject models =
        await(gateway.request(HttpMethod.GET, "/v1/models").send()).bodyAsJsonObject();
    assertThat(models.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo("house-model");
  }

  @Test
  @DisplayName(
      "a policy instance on the gateway's own event loop is preferred over the shared policy address")
  void colocatedPolicyPreferred(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    for (int loop = 0; loop < 2 * Runtime.getRuntime().availableProcessors(); loop++) {
      String address =
          io.luthien.shared.Addresses.colocated(
              io.luthien.shared.Addresses.POLICY_REQUEST, "vert.x-eventloop-thread-" + loop);
      await(
          vertx
              .eventBus()
              .<JsonObject>localConsumer(
                  address,
                  message ->
                      message.reply(
                          new JsonObject()
                              .put(
                                  "blocked",
                                  new JsonObject()
                                      .put("status", 451)
                                      .put("message", "answered on the gateway's loop"))))
              .completion());
    }

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o-mini", "hi"));

    assertThat(response.statusCode()).isEqualTo(451);
    assertThat(gateway.policy.received).isEmpty();
  }
}
