package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/responses} refuses what it cannot take with a 400 in OpenAI's error shape, naming
 * the field, before anything reaches the policy or the upstream.
 */
@ExtendWith(VertxExtension.class)
class ResponsesErrorsTest {

  private static JsonObject refused(GatewayFixture gateway, JsonObject body, int status) {
    HttpResponse<Buffer> response = ResponsesApiTest.post(gateway, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("X-Call-ID")).isNotBlank();
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  @DisplayName("a request without a model, or without input, is a 400 missing_required_parameter")
  void missingFields(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    JsonObject noModel = refused(gateway, new JsonObject().put("input", "hi"), 400);
    JsonObject noInput = refused(gateway, new JsonObject().put("model", "gpt-4o-mini"), 400);

    assertThat(noModel.getString("code")).isEqualTo("missing_required_parameter");
    assertThat(noModel.getString("param")).isEqualTo("model");
    assertThat(noModel.getString("type")).isEqualTo("invalid_request_error");
    assertThat(noInput.getString("code")).isEqualTo("missing_required_parameter");
    assertThat(noInput.getString("param")).isEqualTo("input");
    assertThat(gateway.upstream.requests()).isEmpty();
    assertThat(gateway.policy.received).isEmpty();
  }

  @Test
  @DisplayName("wrong types are a 400 invalid_type naming the field")
  void wrongTypes(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject base = new JsonObject().put("model", "gpt-4o-mini").put("input", "hi");

    assertThat(refused(gateway, base.copy().put("input", 42), 400).getString("param"))
        .isEqualTo("input");
    assertThat(refused(gateway, base.copy().put("stream", "yes"), 400).getString("param"))
        .isEqualTo("stream");
    assertThat(refused(gateway, base.copy().put("model", ""), 400).getString("code"))
        .isEqualTo("invalid_type");
    JsonObject badRole =
        refused(
            gateway,
            base.copy()
                .put(
                    "input",
                    new JsonArray().add(new JsonObject().put("role", "robot").put("content", "x"))),
            400);
    assertThat(badRole.getString("param")).isEqualTo("input[0].role");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("an input item the gateway cannot translate is a 400 naming its type")
  void unsupportedItem(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject request =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "input",
                new JsonArray()
                    .add(new JsonObject().put("type", "item_reference").put("id", "msg_1")));

    JsonObject error = refused(gateway, request, 400);

    assertThat(error.getString("code")).isEqualTo("unsupported_input_item");
    assertThat(error.getString("param")).isEqualTo("input[0].type");
    assertThat(error.getString("message")).contains("item_reference");
  }

  @Test
  @DisplayName(
      "a request the policy blocks is refused with the policy's status and message, whole or"
          + " streamed, and never reaches the upstream")
  void blocked(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.BLOCK);
    JsonObject request = new JsonObject().put("model", "gpt-4o-mini").put("input", "my secret");

    JsonObject whole = refused(gateway, request, 403);
    JsonObject streamed = refused(gateway, request.copy().put("stream", true), 403);

    assertThat(whole.getString("code")).isEqualTo("request_blocked");
    assertThat(whole.getString("message")).isEqualTo("blocked: secrets are not allowed");
    assertThat(streamed.getString("code")).isEqualTo("request_blocked");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  @DisplayName("malformed JSON is a 400 invalid_json in OpenAI's shape")
  void malformedJson(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        await(
            gateway
                .web
                .post(ResponsesApiTest.PATH)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{nope")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("invalid_json");
  }

  @Test
  @DisplayName("an upstream error reaches the Responses client with its status, in OpenAI's shape")
  void upstreamError(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    gateway.upstream.failWith(
        429,
        "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"code\":\"rate\"}}");

    JsonObject error =
        refused(gateway, new JsonObject().put("model", "gpt-4o-mini").put("input", "hi"), 429);

    assertThat(error.getString("message")).isEqualTo("slow down");
  }
}
