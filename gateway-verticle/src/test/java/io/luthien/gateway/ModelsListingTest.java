package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /v1/models} lists the routed models and what the providers with a key list themselves,
 * in the client's shape.
 */
@ExtendWith(VertxExtension.class)
class ModelsListingTest {

  private static final JsonObject ANTHROPIC_LIST =
      new JsonObject(
          """
          {"data": [
            {"type": "model", "id": "claude-opus-4-1", "display_name": "Claude Opus 4.1",
             "created_at": "2025-08-05T00:00:00Z"},
            {"type": "model", "id": "claude-sonnet-4-5", "display_name": "Claude Sonnet 4.5",
             "created_at": "2025-09-29T00:00:00Z"}],
           "has_more": false, "first_id": "claude-opus-4-1", "last_id": "claude-sonnet-4-5"}""");

  private static final JsonObject OPENAI_LIST =
      new JsonObject(
          """
          {"object": "list", "data": [
            {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
            {"id": "o3-mini", "object": "model", "created": 1737146383, "owned_by": "system"}]}""");

  /** One server playing both providers' {@code GET /v1/models}, told apart by their key header. */
  private static final class Lists {
    final AtomicInteger anthropicCalls = new AtomicInteger();
    final AtomicInteger openAiCalls = new AtomicInteger();
    volatile int anthropicStatus = 200;
    HttpServer server;

    void handle(HttpServerRequest request) {
      if (!request.path().equals("/v1/models")) {
        request.response().setStatusCode(404).end();
      } else if (request.getHeader("x-api-key") != null) {
        anthropicCalls.incrementAndGet();
        assertThat(request.getHeader("anthropic-version")).isNotNull();
        request
            .response()
            .setStatusCode(anthropicStatus)
            .end(anthropicStatus == 200 ? ANTHROPIC_LIST.encode() : "{\"type\":\"error\"}");
      } else {
        openAiCalls.incrementAndGet();
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-upstream-secret");
        request.response().end(OPENAI_LIST.encode());
      }
    }

    String base() {
      return "http://127.0.0.1:" + server.actualPort();
    }
  }

  private static Lists lists(Vertx vertx) {
    Lists lists = new Lists();
    lists.server =
        await(vertx.createHttpServer().requestHandler(lists::handle).listen(0, "127.0.0.1"));
    return lists;
  }

  private static GatewayFixture gateway(Vertx vertx, Lists lists) {
    return GatewayFixture.start(
        vertx,
        Mode.PASS,
        new JsonObject()
            .put("ANTHROPIC_BASE_URL", lists.base())
            .put("ANTHROPIC_API_KEY", "sk-ant-secret")
            .put("OPENAI_BASE_URL", lists.base() + "/v1"));
  }

  private static JsonObject get(GatewayFixture gateway, boolean anthropic) {
    var request = gateway.web.get("/v1/models");
    if (anthropic) {
      request.putHeader("anthropic-version", "2023-06-01");
    }
    HttpResponse<Buffer> response = await(request.send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("data").stream()
        .map(model -> ((JsonObject) model).getString("id"))
        .toList();
  }

  @Test
  @DisplayName(
      "an Anthropic client gets type, id, display_name, created_at for the routed models and the"
          + " providers' own, with has_more, first_id and last_id")
  void anthropicShape(Vertx vertx) {
    Lists lists = lists(vertx);
    GatewayFixture gateway = gateway(vertx, lists);

    JsonObject list = get(gateway, true);

    assertThat(ids(list))
        .containsExactly("mock", "gpt-4o", "o3-mini", "claude-opus-4-1", "claude-sonnet-4-5");
    assertThat(list.getJsonArray("data").getJsonObject(3))
        .isEqualTo(
            new JsonObject()
                .put("type", "model")
                .put("id", "claude-opus-4-1")
                .put("display_name", "Claude Opus 4.1")
                .put("created_at", "2025-08-05T00:00:00Z"));
    assertThat(list.getJsonArray("data").getJsonObject(1).getString("created_at"))
        .isEqualTo("2024-05-10T18:50:49Z");
    assertThat(list.getBoolean("has_more")).isFalse();
    assertThat(list.getString("first_id")).isEqualTo("mock");
    assertThat(list.getString("last_id")).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  @DisplayName("an OpenAI client gets id, object, created, owned_by; the lists are cached")
  void openAiShapeCached(Vertx vertx) {
    Lists lists = lists(vertx);
    GatewayFixture gateway = gateway(vertx, lists);

    JsonObject list = get(gateway, false);
    get(gateway, false);

    assertThat(list.getString("object")).isEqualTo("list");
    JsonArray data = list.getJsonArray("data");
    assertThat(data.getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("id", "gpt-4o")
                .put("object", "model")
                .put("created", 1715367049)
                .put("owned_by", "openai"));
    assertThat(data.getJsonObject(3).getString("owned_by")).isEqualTo("anthropic");
    assertThat(lists.anthropicCalls.get()).isEqualTo(1);
    assertThat(lists.openAiCalls.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("a provider whose list fails is left out; the rest is still listed")
  void failingProviderLeftOut(Vertx vertx) {
    Lists lists = lists(vertx);
    lists.anthropicStatus = 500;
    GatewayFixture gateway = gateway(vertx, lists);

    JsonObject list = get(gateway, true);

    assertThat(ids(list)).containsExactly("mock", "gpt-4o", "o3-mini");
  }
}
