package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.luthien.gateway.ratelimit.LocalRateLimiter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code RATE_LIMIT_RPM} / {@code RATE_LIMIT_BURST} on one node, per client credential. */
class RateLimitTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private GatewayFixture start(JsonObject config) {
    return GatewayFixture.start(
        vertx, TestPolicyNode.Mode.PASS, config.put("AUTH_MODE", "both").put("PROXY_API_KEY", "p"));
  }

  private static HttpResponse<Buffer> chat(GatewayFixture gateway, String key) {
    return await(
        gateway
            .web
            .post("/v1/chat/completions")
            .putHeader("Authorization", "Bearer " + key)
            .sendJsonObject(GatewayFixture.chat("gpt-4o", "hi")));
  }

  private static HttpResponse<Buffer> messages(GatewayFixture gateway, String key) {
    return await(
        gateway
            .web
            .post("/v1/messages")
            .putHeader("x-api-key", key)
            .putHeader("anthropic-version", "2023-06-01")
            .sendJsonObject(AuthModesTest.messages("gpt-4o")));
  }

  @Test
  @DisplayName(
      "a credential gets RATE_LIMIT_BURST requests at once with X-RateLimit headers, then a 429 in"
          + " the OpenAI shape with Retry-After, and nothing more goes upstream")
  void burstThenRefusedOpenAiShape() {
    GatewayFixture gateway =
        start(new JsonObject().put("RATE_LIMIT_RPM", "6").put("RATE_LIMIT_BURST", "2"));

    HttpResponse<Buffer> first = chat(gateway, "sk-client-a");
    HttpResponse<Buffer> second = chat(gateway, "sk-client-a");
    HttpResponse<Buffer> third = chat(gateway, "sk-client-a");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("X-RateLimit-Limit")).isEqualTo("2");
    assertThat(first.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
    assertThat(Long.parseLong(first.getHeader("X-RateLimit-Reset"))).isBetween(1L, 10L);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(third.getHeader("Retry-After"))).isBetween(1L, 10L);
    assertThat(third.getHeader("X-RateLimit-Limit")).isEqualTo("2");
    assertThat(third.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(third.getHeader("X-Call-ID")).isNotBlank();
    JsonObject error = third.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("rate_limit_error");
    assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(gateway.upstream.requests()).hasSize(2);
  }

  @Test
  @DisplayName(
      "an Anthropic client's 429 is in Anthropic's error shape; another credential has its own"
          + " budget")
  void anthropicShapeAndSeparateBudgets() {
    GatewayFixture gateway =
        start(new JsonObject().put("RATE_LIMIT_RPM", "60").put("RATE_LIMIT_BURST", "1"));

    assertThat(messages(gateway, "sk-client-b").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = messages(gateway, "sk-client-b");
    HttpResponse<Buffer> other = messages(gateway, "sk-client-c");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    JsonObject body = refused.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "RATE_LIMIT_BURST defaults to RATE_LIMIT_RPM; a burst below 1 with a limit stops the start")
  void settings() {
    GatewaySettings defaulted = GatewaySettings.from(new JsonObject().put("RATE_LIMIT_RPM", "30"));
    GatewaySettings off = GatewaySettings.from(new JsonObject());

    assertThat(defaulted.rateLimited()).isTrue();
    assertThat(defaulted.rateLimitBurst()).isEqualTo(30);
    assertThat(off.rateLimited()).isFalse();
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    new JsonObject().put("RATE_LIMIT_RPM", "30").put("RATE_LIMIT_BURST", "0")))
        .hasMessageContaining("RATE_LIMIT_BURST");
  }

  @Test
  @DisplayName(
      "the gateway instances of one node share one local limiter, so a budget does not multiply"
          + " with the event loops")
  void oneLimiterPerNode() {
    assertThat(LocalRateLimiter.shared(vertx, 60, 5))
        .isSameAs(LocalRateLimiter.shared(vertx, 60, 5));
    Vertx otherNode = Vertx.vertx();
    try {
      assertThat(LocalRateLimiter.shared(otherNode, 60, 5))
          .isNotSameAs(LocalRateLimiter.shared(vertx, 60, 5));
    } finally {
      await(otherNode.close());
    }
  }

  @Test
  @DisplayName(
      "on an open gateway, requests without a credential share their address's bucket across"
          + " connections")
  void openGatewayLimitsByAddress() {
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx,
            TestPolicyNode.Mode.PASS,
            new JsonObject().put("RATE_LIMIT_RPM", "60").put("RATE_LIMIT_BURST", "1"));
    WebClient otherConnection =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.port)
                .setKeepAlive(false));

    assertThat(gateway.post(GatewayFixture.chat("gpt-4o", "hi")).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused =
        await(
            otherConnection
                .post("/v1/chat/completions")
                .sendJsonObject(GatewayFixture.chat("gpt-4o", "hi")));

    assertThat(refused.statusCode()).isEqualTo(429);
  }

  @Test
  @DisplayName("without RATE_LIMIT_RPM nothing is limited and no X-RateLimit header is sent")
  void offByDefault() {
    GatewayFixture gateway = start(new JsonObject());

    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> response = chat(gateway, "sk-client-d");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("X-RateLimit-Limit")).isNull();
    }
  }
}
