package io.luthien.gateway;

import static io.luthien.gateway.SseTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.luthien.gateway.ResponsesApiTest.Event;
import io.luthien.gateway.TestPolicyNode.Mode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET} and {@code DELETE /v1/responses/{id}}, read from the recording through the recorder's
 * exchange contract (here {@link InMemoryExchanges}), and {@code background: true}, refused.
 */
@ExtendWith(VertxExtension.class)
class ResponsesStoredTest {

  private static HttpResponse<Buffer> get(GatewayFixture gateway, String id) {
    return await(gateway.web.get(ResponsesApiTest.PATH + "/" + id).send());
  }

  private static HttpResponse<Buffer> delete(GatewayFixture gateway, String id) {
    return await(gateway.web.delete(ResponsesApiTest.PATH + "/" + id).send());
  }

  private static JsonObject request(String input) {
    return new JsonObject().put("model", "gpt-4o-mini").put("input", input);
  }

  private static void assertNotFound(HttpResponse<Buffer> response, String id) {
    assertThat(response.statusCode()).isEqualTo(404);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo("response_not_found");
    assertThat(error.getString("message")).isEqualTo("Response with id '" + id + "' not found.");
  }

  @Test
  @DisplayName(
      "GET gives back a whole or a streamed response as its client got it; DELETE answers"
          + " response.deleted, and then the id is unknown to GET, DELETE and previous_response_id")
  void getAndDelete(Vertx vertx) {
    InMemoryExchanges.register(vertx);
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject whole = ResponsesApiTest.post(gateway, request("hello")).bodyAsJsonObject();
    List<Event> events = ResponsesApiTest.stream(gateway, request("again").put("stream", true));
    JsonObject streamed = ResponsesApiTest.last(events).data().getJsonObject("response");

    HttpResponse<Buffer> read = get(gateway, whole.getString("id"));
    HttpResponse<Buffer> readStreamed = get(gateway, streamed.getString("id"));
    HttpResponse<Buffer> deleted = delete(gateway, whole.getString("id"));

    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(whole);
    assertThat(readStreamed.bodyAsJsonObject().getString("id")).isEqualTo(streamed.getString("id"));
    assertThat(readStreamed.bodyAsJsonObject().getJsonArray("output"))
        .isEqualTo(streamed.getJsonArray("output"));
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("id", whole.getString("id"))
                .put("object", "response.deleted")
                .put("deleted", true));
    assertNotFound(get(gateway, whole.getString("id")), whole.getString("id"));
    assertNotFound(delete(gateway, whole.getString("id")), whole.getString("id"));
    HttpResponse<Buffer> continued =
        ResponsesApiTest.post(
            gateway, request("more").put("previous_response_id", whole.getString("id")));
    assertThat(continued.statusCode()).isEqualTo(400);
    assertThat(continued.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("previous_response_not_found");
  }

  @Test
  @DisplayName(
      "an id the gateway never gave, and a response created with store: false, are OpenAI's 404")
  void notFound(Vertx vertx) {
    InMemoryExchanges.register(vertx);
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);
    JsonObject unstored =
        ResponsesApiTest.post(gateway, request("secret").put("store", false)).bodyAsJsonObject();

    assertNotFound(get(gateway, "resp_not_ours"), "resp_not_ours");
    assertNotFound(get(gateway, unstored.getString("id")), unstored.getString("id"));
    assertNotFound(delete(gateway, unstored.getString("id")), unstored.getString("id"));
  }

  @Test
  @DisplayName("background: true is a 400 that says so; nothing runs")
  void background(Vertx vertx) {
    GatewayFixture gateway = GatewayFixture.start(vertx, Mode.PASS);

    HttpResponse<Buffer> response =
        ResponsesApiTest.post(gateway, request("later").put("background", true));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message"))
        .isEqualTo("background responses are not supported by this gateway");
    assertThat(error.getString("param")).isEqualTo("background");
    assertThat(gateway.upstream.requests()).isEmpty();
  }
}
