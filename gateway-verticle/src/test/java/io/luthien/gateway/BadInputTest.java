package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class BadInputTest {

  private static JsonObject error(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("X-Call-ID")).as("X-Call-ID on an error").isNotBlank();
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isNotBlank();
    return error;
  }

  @Test
  @DisplayName("malformed JSON is a 400 and nothing reaches the policy or the upstream")
  void malformedJson(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response = gateway.postRaw("{\"model\": \"gpt-4o\", \"messages\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).getString("message")).contains("not valid JSON");
    assertThat(gateway.policy.received).isEmpty();
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                | model",
        "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}   | model",
        "{\"model\":\"gpt-4o\"}                                                  | messages",
        "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}                              | messages",
        "{\"model\":\"gpt-4o\",\"messages\":[]}                                  | messages",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"hi\"}]}              | messages[0].role",
        "{\"model\":\"gpt-4o\",\"messages\":[\"hi\"]}                            | messages[0]",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"} | stream",
        "[1,2,3]                                                                  | ''",
      })
  @DisplayName("missing or mistyped fields are refused with a 400 that names the field")
  void missingOrMistypedFields(String body, String field, Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response = gateway.postRaw(body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = error(response);
    if (!field.isEmpty()) {
      assertThat(error.getString("param")).isEqualTo(field);
      assertThat(error.getString("message")).contains("'" + field);
    }
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName(
      "with PROXY_API_KEY set, a missing or wrong key is a 401 and the right one works as Bearer or x-api-key")
  void apiKey(Vertx vertx) {
    GatewayFixture gateway =
        GatewayFixture.start(vertx, Mode.PASS, new JsonObject().put("PROXY_API_KEY", "sk-client"));
    JsonObject body = GatewayFixture.chat("gpt-4o", "hi");

    HttpResponse<Buffer> missing =
        await(gateway.web.post("/v1/chat/completions").sendJsonObject(body));
    HttpResponse<Buffer> wrong =
        await(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer sk-wrong")
                .sendJsonObject(body));
    HttpResponse<Buffer> bearer =
        await(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("Authorization", "Bearer sk-client")
                .sendJsonObject(body));
    HttpResponse<Buffer> header =
        await(
            gateway
                .web
                .post("/v1/chat/completions")
                .putHeader("x-api-key", "sk-client")
                .sendJsonObject(body));
    HttpResponse<Buffer> models = await(gateway.web.get("/v1/models").send());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(error(missing).getString("code")).isEqualTo("missing_api_key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(error(wrong).getString("code")).isEqualTo("invalid_api_key");
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(header.statusCode()).isEqualTo(200);
    assertThat(models.statusCode()).isEqualTo(401);
    assertThat(gateway.upstream.requests()).hasSize(2);
    assertThat(gateway.upstream.requestHeaders().get(0).get("Authorization"))
        .as("the client's key is never forwarded")
        .isEqualTo("Bearer sk-upstream-secret");
  }

  @Test
  @DisplayName("a body over 10 MiB is a 413")
  void bodyTooLarge(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    String big = "x".repeat(10 * 1024 * 1024 + 1);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", big));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).getString("code")).isEqualTo("request_too_large");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("a body just under 10 MiB is accepted")
  void bodyJustUnderLimit(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    String text = "y".repeat(10 * 1024 * 1024 - 200);

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("gpt-4o", text));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            gateway
                .upstream
                .requests()
                .get(0)
                .getJsonArray("messages")
                .getJsonObject(0)
                .getString("content"))
        .hasSize(text.length());
  }

  @Test
  @DisplayName("an unknown route is a 404 and a wrong method a 405, both in the OpenAI error shape")
  void unknownRoute(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> unknown =
        await(gateway.request(HttpMethod.POST, "/v1/completions-that-do-not-exist").send());
    HttpResponse<Buffer> wrongMethod =
        await(gateway.request(HttpMethod.GET, "/v1/chat/completions").send());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown).getString("message")).contains("/v1/completions-that-do-not-exist");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    error(wrongMethod);
  }

  @Test
  @DisplayName("a model no route matches is a 404 model_not_found")
  void unroutableModel(Vertx vertx) throws Exception {
    java.nio.file.Path routes = java.nio.file.Files.createTempFile("routes", ".yaml");
    java.nio.file.Files.writeString(
        routes, "routes:\n  - model: \"gpt-*\"\n    provider: openai\n");
    GatewayFixture gateway =
        GatewayFixture.start(
            vertx, Mode.PASS, new JsonObject().put("ROUTES_CONFIG", routes.toString()));

    HttpResponse<Buffer> response = gateway.post(GatewayFixture.chat("claude-3", "hi"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(error(response).getString("code")).isEqualTo("model_not_found");
  }
}
