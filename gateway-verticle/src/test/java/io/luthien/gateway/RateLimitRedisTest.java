package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.shared.LocalServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With {@code REDIS_URL}, gateway nodes share each credential's budget through the real Redis. */
class RateLimitRedisTest {

  private final Vertx first = Vertx.vertx();
  private final Vertx second = Vertx.vertx();

  @BeforeEach
  void redis() {
    LocalServices.ensureRedisUp();
  }

  @AfterEach
  void stop() {
    await(first.close());
    await(second.close());
  }

  private static GatewayFixture node(Vertx vertx, String redisUrl) {
    return GatewayFixture.start(
        vertx,
        TestPolicyNode.Mode.PASS,
        new JsonObject()
            .put("AUTH_MODE", "both")
            .put("PROXY_API_KEY", "p")
            .put("RATE_LIMIT_RPM", "6")
            .put("RATE_LIMIT_BURST", "3")
            .put("REDIS_URL", redisUrl));
  }

  private static HttpResponse<Buffer> chat(GatewayFixture gateway, String key) {
    return await(
        gateway
            .web
            .post("/v1/chat/completions")
            .putHeader("Authorization", "Bearer " + key)
            .sendJsonObject(GatewayFixture.chat("gpt-4o", "hi")));
  }

  @Test
  @DisplayName(
      "two gateway nodes on one Redis share a credential's burst: the fourth request, on either"
          + " node, is a 429 with Retry-After")
  void nodesShareTheBudget() {
    GatewayFixture a = node(first, LocalServices.REDIS_URL);
    GatewayFixture b = node(second, LocalServices.REDIS_URL);
    String key = "sk-shared-" + UUID.randomUUID();

    assertThat(chat(a, key).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> fromB = chat(b, key);
    assertThat(chat(a, key).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refusedOnB = chat(b, key);
    HttpResponse<Buffer> refusedOnA = chat(a, key);

    assertThat(fromB.statusCode()).isEqualTo(200);
    assertThat(fromB.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
    assertThat(refusedOnB.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refusedOnB.getHeader("Retry-After"))).isBetween(1L, 10L);
    assertThat(refusedOnB.getHeader("X-RateLimit-Limit")).isEqualTo("3");
    assertThat(refusedOnA.statusCode()).isEqualTo(429);
    assertThat(chat(b, "sk-other-" + UUID.randomUUID()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "a bucket in Redis refills at RATE_LIMIT_RPM: at 120 a minute, a refused credential gets a"
          + " request again half a second later")
  void refills() {
    GatewayFixture a =
        GatewayFixture.start(
            first,
            TestPolicyNode.Mode.PASS,
            new JsonObject()
                .put("RATE_LIMIT_RPM", "120")
                .put("RATE_LIMIT_BURST", "1")
                .put("REDIS_URL", LocalServices.REDIS_URL));
    String key = "sk-refill-" + UUID.randomUUID();

    assertThat(chat(a, key).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = chat(a, key);
    LocalServices.sleep(600);
    HttpResponse<Buffer> again = chat(a, key);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
  }

  @Test
  @DisplayName("with Redis unreachable, requests go through unlimited rather than fail")
  void redisDownFailsOpen() {
    GatewayFixture a = node(first, "redis://127.0.0.1:1");

    HttpResponse<Buffer> response = chat(a, "sk-any");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-RateLimit-Limit")).isNull();
  }
}
